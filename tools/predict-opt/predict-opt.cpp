//===- predict-opt.cpp - mlir-opt with the predict dialect and passes -----===//

#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Conversion/Passes.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"
#include "predict/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::predict::PredictDialect>();
  mlir::registerAllPasses();
  mlir::predict::registerPredictPasses();
  mlir::predict::registerPredictConversionPasses();
  mlir::predict::registerPredictPipelines();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "predict optimizer driver: the predict dialect, its passes "
                  "and every upstream MLIR dialect and pass\n",
      registry));
}
