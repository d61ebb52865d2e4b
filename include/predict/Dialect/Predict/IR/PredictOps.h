//===- PredictOps.h - predict dialect operations ------------------*- C++ -*-===//

#ifndef PREDICT_DIALECT_PREDICT_IR_PREDICTOPS_H
#define PREDICT_DIALECT_PREDICT_IR_PREDICTOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "predict/Dialect/Predict/IR/PredictDialect.h"
#include "predict/Dialect/Predict/IR/PredictInterfaces.h"

namespace mlir::predict {
class ModelOp;
class MethodOp;
} // namespace mlir::predict

#define GET_OP_CLASSES
#include "predict/Dialect/Predict/IR/PredictOps.h.inc"

#endif // PREDICT_DIALECT_PREDICT_IR_PREDICTOPS_H
