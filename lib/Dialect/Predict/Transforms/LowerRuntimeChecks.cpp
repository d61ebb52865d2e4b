//===- LowerRuntimeChecks.cpp - checks to calls of the error channel ------===//
//
// predict.assert and cf.assert become
//
//   scf.if (not %cond) {
//     llvm.call @predict_runtime_check_failed(@message, values, count)
//   }
//
// where @message is the op's message prefixed with its location in the
// user's terms. The runtime (lib/Runtime/CallRuntime.c, docs/Runtime.md)
// formats the values into it, records it as the call's error and returns
// to the caller of the compiled function: the call never returns.
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTLOWERRUNTIMECHECKS
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

static constexpr llvm::StringLiteral kCheckFailed =
    "predict_runtime_check_failed";

/// `{` doubled, so that the runtime's formatting prints `text` as written.
static std::string escapeBraces(StringRef text) {
  std::string escaped;
  for (char c : text) {
    escaped += c;
    if (c == '{')
      escaped += '{';
  }
  return escaped;
}

/// Where `loc` is, in the user's terms: `model.py:14:16` for a Python line,
/// `model.h5: layer 'dense_1'` for a layer of a Keras file (the Keras
/// importer locates a layer at NameLoc(layer, NameLoc(file)); a
/// FileLineColLoc child is read the same way), or the name of a name
/// location; empty when nothing is known.
static std::string userLocation(Location loc) {
  std::string text;
  loc->walk([&](Location inner) {
    auto name = dyn_cast<NameLoc>(inner);
    auto file = dyn_cast<FileLineColLoc>(name ? name.getChildLoc() : inner);
    if (name) {
      StringRef fileName =
          file ? file.getFilename().getValue()
          : isa<NameLoc>(name.getChildLoc())
              ? cast<NameLoc>(name.getChildLoc()).getName().getValue()
              : StringRef();
      StringRef ext = llvm::sys::path::extension(fileName);
      if (ext == ".h5" || ext == ".keras" || ext == ".json") {
        text = (fileName + ": layer '" + name.getName().getValue() + "'")
                   .str();
        return WalkResult::interrupt();
      }
    }
    if (file && !name) {
      text = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (text.empty())
    loc->walk([&](Location inner) {
      if (auto name = dyn_cast<NameLoc>(inner)) {
        text = name.getName().str();
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  return text;
}

namespace {
struct LowerRuntimeChecks
    : predict::impl::PredictLowerRuntimeChecksBase<LowerRuntimeChecks> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> checks;
    module.walk([&](Operation *op) {
      if (isa<AssertOp, cf::AssertOp>(op))
        checks.push_back(op);
    });
    if (checks.empty())
      return;

    bool failed = false;
    for (Operation *check : checks)
      if (check->getParentOfType<omp::ParallelOp>()) {
        check->emitError()
            << "a run-time check inside an OpenMP parallel region cannot "
               "report its failure to the caller (predict-parallelize-tiles "
               "must not share out this loop): a bug in predict, please "
               "report it with the input";
        failed = true;
      }
    if (failed)
      return signalPassFailure();

    OpBuilder b(module.getBodyRegion());
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = b.getI64Type();
    if (!module.lookupSymbol(kCheckFailed)) {
      auto fn = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), kCheckFailed,
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                      {ptr, ptr, i64}));
      // It never returns and is never taken on the fast path: LLVM lays the
      // failure branch out of the hot code.
      fn.setPassthroughAttr(b.getArrayAttr(
          {b.getStringAttr("noreturn"), b.getStringAttr("cold"),
           b.getStringAttr("nounwind")}));
    }

    for (Operation *check : checks) {
      // A check that cannot fail costs nothing (predict.assert's
      // canonicalizer erases most earlier; cf.assert's too).
      Value always = isa<AssertOp>(check) ? cast<AssertOp>(check).getCondition()
                                          : cast<cf::AssertOp>(check).getArg();
      if (matchPattern(always, m_One())) {
        check->erase();
        continue;
      }
      ValueRange values;
      Value condition;
      std::string text;
      if (auto assertOp = dyn_cast<AssertOp>(check)) {
        condition = assertOp.getCondition();
        values = assertOp.getValues();
        text = assertOp.getMessage().str();
      } else {
        auto cfAssert = cast<cf::AssertOp>(check);
        condition = cfAssert.getArg();
        text = escapeBraces(cfAssert.getMsg());
      }
      std::string where = escapeBraces(userLocation(check->getLoc()));
      std::string full =
          (where.empty() ? "" : where + ": ") + "error: at run time: " + text;
      lower(check, condition, values, global(module, full));
    }
  }

  /// The global holding `text` (NUL-terminated), one per distinct message.
  LLVM::GlobalOp global(ModuleOp module, StringRef text) {
    auto it = messages.find(text);
    if (it != messages.end())
      return it->second;
    OpBuilder b(module.getBodyRegion());
    std::string name;
    do
      name = "predict_check_message_" + std::to_string(nextMessage++);
    while (module.lookupSymbol(name));
    std::string bytes = text.str();
    bytes.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size());
    auto op = LLVM::GlobalOp::create(b, module.getLoc(), type,
                                     /*isConstant=*/true,
                                     LLVM::Linkage::Internal, name,
                                     b.getStringAttr(bytes));
    messages[text] = op;
    return op;
  }

  void lower(Operation *check, Value condition, ValueRange values,
             LLVM::GlobalOp message) {
    OpBuilder b(check);
    Location loc = check->getLoc();
    auto ptr = LLVM::LLVMPointerType::get(b.getContext());
    auto i64 = b.getI64Type();
    Value isTrue = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
    Value failed = arith::XOrIOp::create(b, loc, condition, isTrue);
    auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());

    Value text = LLVM::AddressOfOp::create(b, loc, message);
    Value count = LLVM::ConstantOp::create(b, loc, i64,
                                           b.getI64IntegerAttr(values.size()));
    Value buffer;
    if (values.empty()) {
      buffer = LLVM::ZeroOp::create(b, loc, ptr);
    } else {
      buffer = LLVM::AllocaOp::create(b, loc, ptr, i64, count);
      for (auto [i, value] : llvm::enumerate(values)) {
        Value wide = value;
        if (value.getType().isIndex())
          wide = arith::IndexCastOp::create(b, loc, i64, value);
        else if (value.getType().getIntOrFloatBitWidth() == 1)
          wide = arith::ExtUIOp::create(b, loc, i64, value);
        else if (value.getType().getIntOrFloatBitWidth() < 64)
          wide = arith::ExtSIOp::create(b, loc, i64, value);
        else if (value.getType().getIntOrFloatBitWidth() > 64)
          wide = arith::TruncIOp::create(b, loc, i64, value);
        Value at = LLVM::GEPOp::create(
            b, loc, ptr, i64, buffer,
            ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
        LLVM::StoreOp::create(b, loc, wide, at);
      }
    }
    LLVM::CallOp::create(b, loc, TypeRange{},
                         FlatSymbolRefAttr::get(b.getContext(), kCheckFailed),
                         ValueRange{text, buffer, count});
    check->erase();
  }

  llvm::StringMap<LLVM::GlobalOp> messages;
  unsigned nextMessage = 0;
};
} // namespace
