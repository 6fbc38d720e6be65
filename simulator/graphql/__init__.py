"""GraphQL machinery shared by the GraphQL faces: request parsing, cached preparation."""
