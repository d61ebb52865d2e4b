//===- PythonModels.cpp - models and layers of Python source --------------===//
//
// A model instantiated at module level (`model = MyModel(...)`) becomes one
// `predict.model` when an entry calls it: its layers are the layer
// registry's entries (the Keras importer's), configured from the reader's
// `{"class_name", "args", "kwargs"}`, their weights sized by the input type
// the method's body gives them.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

std::optional<FailureOr<PyValue>>
ProgramBuilder::modelCall(const json::Object &node) {
  return std::nullopt;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::modelAttribute(const json::Object &node) {
  return std::nullopt;
}

LogicalResult ProgramBuilder::finishModels() {
  for (const json::Value &m : *program->getArray("models"))
    if (const json::Object *model = m.getAsObject())
      return notYet(*model, "models");
  return success();
}
