package directory

// SchemaErr lets the external tests of this package validate against the
// official data·inclusion schemas.
var SchemaErr = schemaErr
