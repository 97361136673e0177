@_exported import Model
