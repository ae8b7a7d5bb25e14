// The one module a library user imports: `import MIRI` brings the table type and random
// source (Linalg), MIRI's settings and errors (Flow), every imputer, metric and mask
// (Imputation), CSV reading and writing (TableIO) and model files (ModelStore).
@_exported import Flow
@_exported import Imputation
@_exported import Linalg
@_exported import ModelStore
@_exported import TableIO
