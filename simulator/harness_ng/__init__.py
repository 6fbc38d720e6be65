"""The Harness NextGen user REST face (`/ng/api/user...`)."""
