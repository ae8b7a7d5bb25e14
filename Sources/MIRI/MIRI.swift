// The one module a library user imports: `import MIRI` brings the table type and random
// source (Linalg), the velocity network and its training (Flow), every imputer with MIRI's
// settings and errors (Imputation), metrics, masks and synthetic tables (Evaluation), CSV
// reading and writing (TableIO) and model files (ModelStore).
@_exported import Evaluation
@_exported import Flow
@_exported import Imputation
@_exported import Linalg
@_exported import ModelStore
@_exported import TableIO
