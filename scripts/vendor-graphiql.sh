#!/usr/bin/env bash
# Refresh the GraphiQL explorer's assets shipped in simulator/graphql/assets/ (`make
# vendor-graphiql`). The explorers must work offline (a CI service container, a laptop on a
# plane), so the files are committed and served by usersim itself; this script is only
# needed to change versions. It takes the npm tarballs with `npm pack` (the registry's
# integrity check included) and copies the UMD builds and each package's licence.
set -euo pipefail

GRAPHIQL_VERSION=3.8.3   # the last GraphiQL with UMD builds (4 and 5 ship ES modules only)
REACT_VERSION=18.3.1     # React 19 ships no UMD builds

cd "$(dirname "$0")/.."
target=simulator/graphql/assets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" \
    "react-dom@$REACT_VERSION" > /dev/null)
for name in graphiql react react-dom; do
  mkdir -p "$work/$name"
  tar -xzf "$work"/"$name"-[0-9]*.tgz -C "$work/$name"
done

mkdir -p "$target"
cp "$work/graphiql/package/graphiql.min.js" "$work/graphiql/package/graphiql.min.css" "$target/"
cp "$work/react/package/umd/react.production.min.js" "$target/"
cp "$work/react-dom/package/umd/react-dom.production.min.js" "$target/"
# The UMD builds end with a source-map comment; the maps are not shipped.
sed -i 's|^//# sourceMappingURL=.*$||; s|/\*# sourceMappingURL=[^*]*\*/||' "$target"/*.min.js "$target"/*.min.css
cp "$work/graphiql/package/LICENSE" "$target/LICENSE-graphiql"
cp "$work/react/package/LICENSE" "$target/LICENSE-react"
cp "$work/react-dom/package/LICENSE" "$target/LICENSE-react-dom"

cat > "$target/README.md" <<NOTE
# GraphiQL, shipped with usersim

The explorer pages of usersim's GraphQL faces load these files from usersim itself
(\`/_usersim/explorer/NAME\`), so they work without internet. They are unmodified npm
builds (only their source-map comments removed), refreshed by \`make vendor-graphiql\`
(\`scripts/vendor-graphiql.sh\`):

| file | package | licence |
| --- | --- | --- |
| graphiql.min.js, graphiql.min.css | graphiql $GRAPHIQL_VERSION | MIT, LICENSE-graphiql |
| react.production.min.js | react $REACT_VERSION (umd/) | MIT, LICENSE-react |
| react-dom.production.min.js | react-dom $REACT_VERSION (umd/) | MIT, LICENSE-react-dom |

graphiql.min.js bundles GraphiQL's own dependencies (graphql-js, CodeMirror 5,
markdown-it and others, each under a permissive licence, named in the bundle's comments).
NOTE
echo "GraphiQL $GRAPHIQL_VERSION and React $REACT_VERSION copied to $target"
