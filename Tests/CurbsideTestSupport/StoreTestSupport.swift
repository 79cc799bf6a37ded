// The server's tests use the store's test support as their own: databases, PostgreSQL, paths.
@_exported import CurbsideStoreTestSupport
