//===- ForeignRegistry.cpp - known foreign functions and their rewrites ---===//
//
// To teach predict a new Python function: write its rewrite below and add
// one line to the table at the end (and to docs/ForeignCalls.md).
//
//===----------------------------------------------------------------------===//

#include "predict/Dialect/Predict/Transforms/ForeignRegistry.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::predict;

namespace {
//===----------------------------------------------------------------------===//
// Argument access
//===----------------------------------------------------------------------===//

/// The keyword argument `name`, or null.
Attribute kwarg(ForeignCallOp call, StringRef name) {
  return call.getKwargs() ? call.getKwargs()->get(name) : Attribute();
}

/// A Python number given as a constant: a rank-0 or splat predict.constant.
std::optional<double> constantNumber(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense || !dense.isSplat() || !isa<FloatType>(dense.getElementType()))
    return std::nullopt;
  return dense.getSplatValue<APFloat>().convertToDouble();
}

std::optional<double> numberAttr(Attribute attr) {
  if (auto f = dyn_cast_or_null<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto i = dyn_cast_or_null<IntegerAttr>(attr))
    return double(i.getInt());
  return std::nullopt;
}

/// The tensors of a Python list built in straight-line code:
/// `[a, b]` is `append(append(empty, a), b)`.
std::optional<SmallVector<Value>> listElements(Value list) {
  SmallVector<Value> elements;
  while (auto append = list.getDefiningOp<ListAppendOp>()) {
    elements.push_back(append.getValue());
    list = append.getList();
  }
  if (!list.getDefiningOp<ListEmptyOp>())
    return std::nullopt;
  std::reverse(elements.begin(), elements.end());
  return elements;
}

LogicalResult expectArgs(ForeignCallOp call, PatternRewriter &rewriter,
                         unsigned min, unsigned max) {
  unsigned n = call.getArgs().size();
  if (n < min || n > max || call.getNumResults() != 1)
    return rewriter.notifyMatchFailure(call, "unexpected number of arguments");
  // The native rewrites compute on float32 (numpy.where's condition aside):
  // integers are numpy's own dtype rules (helper-135: np.clip of an int32
  // tensor failed inside the compiler), said at the call.
  for (auto [i, arg] : llvm::enumerate(call.getArgs())) {
    Type element = getElementTypeOrSelf(arg.getType());
    if (element.isF32() || (call.getCallee() == "numpy.where" && i == 0) ||
        isa<ListType>(arg.getType()))
      continue;
    if (call->hasAttr("predict.reported"))
      return failure();
    rewriter.modifyOpInPlace(call, [&] {
      call->setAttr("predict.reported", rewriter.getUnitAttr());
    });
    return call.emitError()
           << "'" << call.getCallee() << "': argument #" << i << " is "
           << arg.getType()
           << ", and predict's native rewrite of it computes on float32: "
              "tf.cast it to tf.float32, or write the tf.* operation "
              "(tf.clip_by_value, tf.maximum, tf.abs ... take integers)";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Building results
//===----------------------------------------------------------------------===//

/// Creates `OpTy` with its result type inferred from its operands; null (and
/// an error at the call's location) when the operands do not fit.
template <typename OpTy, typename... Args>
Value buildInferred(PatternRewriter &rewriter, ForeignCallOp call, Type element,
                    Args &&...args) {
  auto op = OpTy::create(rewriter, call.getLoc(),
                         UnrankedTensorType::get(element),
                         std::forward<Args>(args)...);
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op.getOperation())
                 .inferResultTypes(inferred))) {
    rewriter.eraseOp(op);
    return {};
  }
  op->getResult(0).setType(inferred.front());
  return op->getResult(0);
}

Type elementOf(Value v) { return cast<TensorType>(v.getType()).getElementType(); }

/// Replaces the call's result, casting to the type its users were given.
LogicalResult replaceCall(PatternRewriter &rewriter, ForeignCallOp call,
                          Value value) {
  if (!value)
    return failure();
  Type expected = call.getResult(0).getType();
  if (value.getType() != expected) {
    if (!areCompatible(value.getType(), expected)) {
      // Said once: the driver tries the pattern again on every iteration
      // (helper-132: the error was printed 11 times).
      Type computed = value.getType();
      if (Operation *made = value.getDefiningOp(); made && made->use_empty())
        rewriter.eraseOp(made);
      if (call->hasAttr("predict.reported"))
        return failure();
      rewriter.modifyOpInPlace(call, [&] {
        call->setAttr("predict.reported", rewriter.getUnitAttr());
      });
      return call.emitError()
             << "'" << call.getCallee() << "' computes " << computed
             << " but the program expects " << expected;
    }
    value = tensor::CastOp::create(rewriter, call.getLoc(), expected, value);
  }
  rewriter.replaceOp(call, value);
  return success();
}

//===----------------------------------------------------------------------===//
// Rewrites
//===----------------------------------------------------------------------===//

template <ActivationKind Kind>
LogicalResult rewriteActivation(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 1, 1)))
    return failure();
  Value x = call.getArgs()[0];
  return replaceCall(rewriter, call,
                     ActivationOp::create(
                         rewriter, call.getLoc(), x.getType(),
                         ActivationKindAttr::get(call.getContext(), Kind), x,
                         FloatAttr(), IntegerAttr(), UnitAttr()));
}

template <typename OpTy>
LogicalResult rewriteUnary(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 1, 1)))
    return failure();
  return replaceCall(rewriter, call,
                     OpTy::create(rewriter, call.getLoc(), call.getArgs()[0]));
}

template <typename OpTy>
LogicalResult rewriteBinary(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 2, 2)))
    return failure();
  Value a = call.getArgs()[0], b = call.getArgs()[1];
  return replaceCall(rewriter, call,
                     buildInferred<OpTy>(rewriter, call, elementOf(a), a, b));
}

/// numpy.clip(x, a_min, a_max): constant bounds become predict.clip, tensor
/// bounds maximum/minimum; in numpy's order, the lower bound first
/// (`minimum(maximum(x, a_min), a_max)`: with a_min > a_max every element is
/// a_max), whichever bound is a constant (helper-134: a tensor a_min beside
/// a constant a_max was applied last).
LogicalResult rewriteClip(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 1, 3)))
    return failure();
  Value x = call.getArgs()[0];
  auto bound = [&](unsigned index, StringRef name)
      -> std::pair<std::optional<double>, Value> {
    if (index < call.getArgs().size()) {
      Value v = call.getArgs()[index];
      if (auto number = constantNumber(v))
        return {number, {}};
      return {std::nullopt, v};
    }
    return {numberAttr(kwarg(call, name)), {}};
  };
  auto [lo, loTensor] = bound(1, "a_min");
  auto [hi, hiTensor] = bound(2, "a_max");
  auto clip = [&](Value v, std::optional<double> min,
                  std::optional<double> max) -> Value {
    auto toAttr = [&](std::optional<double> d) {
      return d ? rewriter.getF64FloatAttr(*d) : FloatAttr();
    };
    return ClipOp::create(rewriter, call.getLoc(), v, toAttr(min), toAttr(max));
  };
  Value v = x;
  if (lo && hi) {
    v = clip(v, lo, hi);
  } else {
    if (lo)
      v = clip(v, lo, std::nullopt);
    else if (loTensor)
      v = buildInferred<MaximumOp>(rewriter, call, elementOf(x), v, loTensor);
    if (v && hi)
      v = clip(v, std::nullopt, hi);
    else if (v && hiTensor)
      v = buildInferred<MinimumOp>(rewriter, call, elementOf(x), v, hiTensor);
  }
  if (v == x)
    return call.emitError() << "numpy.clip needs a_min or a_max";
  return replaceCall(rewriter, call, v);
}

/// numpy.where(condition, x, y) with all three given.
LogicalResult rewriteWhere(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 3, 3)))
    return failure();
  Value c = call.getArgs()[0], x = call.getArgs()[1], y = call.getArgs()[2];
  if (!cast<TensorType>(c.getType()).getElementType().isInteger(1))
    return call.emitError() << "numpy.where: the condition must be a boolean "
                               "tensor (a comparison), got "
                            << c.getType();
  return replaceCall(rewriter, call,
                     buildInferred<SelectOp>(rewriter, call, elementOf(x), c, x, y));
}

/// numpy.matmul(a, b); numpy.dot(a, b), which is matmul for up to 2-D.
LogicalResult rewriteMatmul(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 2, 2)))
    return failure();
  Value a = call.getArgs()[0], b = call.getArgs()[1];
  if (call.getCallee() == "numpy.dot") {
    for (Value v : {a, b}) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (type && type.getRank() > 2)
        return call.emitError()
               << "numpy.dot of a " << type.getRank()
               << "-D array is not a matrix product (it sums over the last "
                  "axis of a and the second-to-last of b); use numpy.matmul";
    }
  }
  return replaceCall(rewriter, call,
                     buildInferred<MatmulOp>(rewriter, call, elementOf(a), a, b));
}

/// numpy.concatenate([a, b, ...], axis=0) and numpy.stack([...], axis=0) of
/// a list written in the program.
LogicalResult rewriteJoin(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 1, 1)))
    return failure();
  auto elements = listElements(call.getArgs()[0]);
  if (!elements || elements->empty())
    return rewriter.notifyMatchFailure(call, "not a list literal");
  int64_t axis = 0;
  if (auto a = dyn_cast_or_null<IntegerAttr>(kwarg(call, "axis")))
    axis = a.getInt();
  Type element = elementOf(elements->front());
  if (call.getCallee() == "numpy.stack") {
    // Each element gets a unit dimension at `axis`, then they concatenate.
    SmallVector<Value> expanded;
    for (Value e : *elements) {
      auto type = dyn_cast<RankedTensorType>(e.getType());
      if (!type)
        return rewriter.notifyMatchFailure(call, "unranked element");
      auto at = normalizeAxis(axis, type.getRank() + 1);
      if (!at)
        return call.emitError() << "numpy.stack: axis " << axis
                                << " is out of range for " << type;
      SmallVector<int64_t> shape(type.getShape());
      shape.insert(shape.begin() + *at, 1);
      // The unit dimension joins the source dimension it lands before (or
      // the last one).
      int64_t r = type.getRank();
      SmallVector<ReassociationIndices> groups;
      for (int64_t d = 0; d < r; ++d) {
        if (d < *at)
          groups.push_back({d});
        else if (d == *at)
          groups.push_back({d, d + 1});
        else
          groups.push_back({d + 1});
      }
      if (*at == r && r > 0)
        groups.back().push_back(r);
      SmallVector<OpFoldResult> outputShape;
      for (int64_t d = 0, r = type.getRank() + 1; d < r; ++d)
        outputShape.push_back(
            d == *at ? rewriter.getIndexAttr(1)
                     : tensor::getMixedSize(rewriter, call.getLoc(), e,
                                            d - (d > *at ? 1 : 0)));
      expanded.push_back(tensor::ExpandShapeOp::create(
          rewriter, call.getLoc(), RankedTensorType::get(shape, element), e,
          groups, outputShape));
    }
    elements = expanded;
  }
  return replaceCall(rewriter, call,
                     buildInferred<ConcatenateOp>(
                         rewriter, call, element, *elements,
                         rewriter.getI64IntegerAttr(axis)));
}

/// scipy.special.softmax(x, axis): over one axis (scipy's default, all
/// elements, only for 1-D x).
LogicalResult rewriteSoftmax(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 1, 1)))
    return failure();
  Value x = call.getArgs()[0];
  auto type = dyn_cast<RankedTensorType>(x.getType());
  IntegerAttr axis = dyn_cast_or_null<IntegerAttr>(kwarg(call, "axis"));
  if (!axis) {
    if (!type || type.getRank() != 1)
      return call.emitError()
             << "scipy.special.softmax without axis= normalizes over all "
                "elements of its input; predict supports softmax over one "
                "axis: pass axis=-1 (or the axis you mean)";
    axis = rewriter.getI64IntegerAttr(0);
  }
  auto op = ActivationOp::create(rewriter, call.getLoc(), x.getType(),
                                 ActivationKindAttr::get(call.getContext(),
                                                         ActivationKind::softmax),
                                 x, FloatAttr(),
                                 rewriter.getI64IntegerAttr(axis.getInt()),
                                 UnitAttr());
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op.getOperation())
                 .inferResultTypes(inferred)))
    return failure();
  return replaceCall(rewriter, call, op);
}

/// scipy.signal.convolve(in1, in2, mode='full') and correlate: scipy
/// requires inputs of one rank.
LogicalResult rewriteConvolve(ForeignCallOp call, PatternRewriter &rewriter) {
  if (failed(expectArgs(call, rewriter, 2, 3)))
    return failure();
  Value in1 = call.getArgs()[0], in2 = call.getArgs()[1];
  auto t1 = dyn_cast<RankedTensorType>(in1.getType());
  auto t2 = dyn_cast<RankedTensorType>(in2.getType());
  if (t1 && t2 && t1.getRank() != t2.getRank())
    return call.emitError()
           << call.getCallee() << ": in1 is " << t1.getRank() << "-D ("
           << t1 << ") but in2 is " << t2.getRank() << "-D (" << t2
           << "); scipy requires inputs of the same dimensionality and "
              "raises ValueError. Give the kernel the input's rank, e.g. "
              "kernel[None, :] for a 2-D input";
  StringRef modeName = "full";
  if (auto m = dyn_cast_or_null<StringAttr>(kwarg(call, "mode")))
    modeName = m.getValue();
  if (call.getArgs().size() == 3)
    return rewriter.notifyMatchFailure(call, "mode given positionally");
  auto mode = symbolizeConvolveMode(modeName);
  if (!mode)
    return call.emitError() << call.getCallee() << ": mode '" << modeName
                            << "' is not one of 'full', 'same', 'valid'";
  bool correlate = call.getCallee() == "scipy.signal.correlate";
  return replaceCall(
      rewriter, call,
      buildInferred<ConvolveOp>(rewriter, call, elementOf(in1), in1, in2,
                                ConvolveModeAttr::get(call.getContext(), *mode),
                                correlate ? rewriter.getUnitAttr() : UnitAttr()));
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

constexpr auto kSame = ForeignResultShape::SameAsFirst;
constexpr auto kBroadcast = ForeignResultShape::Broadcast;
constexpr auto kConvolve = ForeignResultShape::Convolve;

const ForeignFunction kRegistry[] = {
    {"numpy.tanh", "predict.activation tanh", rewriteActivation<ActivationKind::tanh>, kSame},
    {"numpy.exp", "predict.exp", rewriteUnary<ExpOp>, kSame},
    {"numpy.log", "predict.log", rewriteUnary<LogOp>, kSame},
    {"numpy.sqrt", "predict.sqrt", rewriteUnary<SqrtOp>, kSame},
    {"numpy.abs", "predict.abs", rewriteUnary<AbsOp>, kSame},
    {"numpy.absolute", "predict.abs", rewriteUnary<AbsOp>, kSame},
    {"numpy.negative", "predict.neg", rewriteUnary<NegOp>, kSame},
    {"numpy.maximum", "predict.maximum", rewriteBinary<MaximumOp>, kBroadcast},
    {"numpy.minimum", "predict.minimum", rewriteBinary<MinimumOp>, kBroadcast},
    {"numpy.clip", "predict.clip (constant bounds), maximum/minimum", rewriteClip, kBroadcast},
    {"numpy.where", "predict.select", rewriteWhere, kBroadcast},
    {"numpy.matmul", "predict.matmul", rewriteMatmul},
    {"numpy.dot", "predict.matmul (up to 2-D)", rewriteMatmul},
    {"numpy.concatenate", "predict.concatenate", rewriteJoin},
    {"numpy.stack", "predict.concatenate of expanded elements", rewriteJoin},
    {"scipy.special.expit", "predict.activation sigmoid", rewriteActivation<ActivationKind::sigmoid>, kSame},
    {"scipy.special.softmax", "predict.activation softmax", rewriteSoftmax, kSame},
    {"scipy.signal.convolve", "predict.convolve", rewriteConvolve, kConvolve},
    {"scipy.signal.correlate", "predict.convolve correlate", rewriteConvolve, kConvolve},
};
} // namespace

const ForeignFunction *predict::lookupForeignFunction(StringRef callee) {
  for (const ForeignFunction &f : kRegistry)
    if (f.name == callee)
      return &f;
  return nullptr;
}

ArrayRef<ForeignFunction> predict::foreignFunctions() { return kRegistry; }

StringRef predict::foreignResultShapeName(ForeignResultShape shape) {
  switch (shape) {
  case ForeignResultShape::Unknown:
    return "";
  case ForeignResultShape::SameAsFirst:
    return "same";
  case ForeignResultShape::Broadcast:
    return "broadcast";
  case ForeignResultShape::Convolve:
    return "convolve";
  }
  llvm_unreachable("unknown ForeignResultShape");
}

Type predict::rewrittenResultType(ForeignCallOp call) {
  const ForeignFunction *f = lookupForeignFunction(call.getCallee());
  if (!f || !f->rewrite || call.getNumResults() != 1)
    return {};
  // What replaces the copy, recorded as the rewrite replaces it.
  struct Replaced : RewriterBase::Listener {
    void notifyOperationReplaced(Operation *, ValueRange values) override {
      if (values.size() == 1)
        value = values.front();
    }
    Value value;
  } replaced;
  MLIRContext *ctx = call.getContext();
  // The rewrite may cast its result to the call's type.
  ctx->getOrLoadDialect<tensor::TensorDialect>();
  PatternRewriter rewriter(ctx);
  rewriter.setListener(&replaced);
  Block scratch;
  rewriter.setInsertionPointToStart(&scratch);
  auto copy = cast<ForeignCallOp>(rewriter.clone(*call));
  Type type;
  {
    ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
    if (succeeded(f->rewrite(copy, rewriter)) && replaced.value) {
      Value value = replaced.value;
      // Read through the cast to the copy's own (unknown) result type.
      if (auto cast = value.getDefiningOp<tensor::CastOp>())
        value = cast.getSource();
      type = value.getType();
    }
  }
  // The copy and what the rewrite built use the call's operands: erased,
  // users first.
  while (!scratch.empty()) {
    Operation &last = scratch.back();
    last.dropAllUses();
    last.erase();
  }
  return type;
}

std::string predict::whyNoCallback(ForeignCallOp call) {
  auto isF32Tensor = [](Type t) {
    auto r = dyn_cast<RankedTensorType>(t);
    return r && r.getElementType().isF32();
  };
  std::string why;
  llvm::raw_string_ostream os(why);
  for (auto [i, arg] : llvm::enumerate(call.getArgs()))
    if (!isF32Tensor(arg.getType())) {
      os << "argument #" << i << " has type '" << arg.getType()
         << "'; callbacks pass float32 tensors of known rank";
      return why;
    }
  if (call.getNumResults() != 1 || !isF32Tensor(call.getResult(0).getType()))
    os << "a callback must return one float32 tensor of known rank; annotate "
          "the call's result type (e.g. tensor<?x10xf32>)";
  return why;
}

std::string predict::callbackSymbol(StringRef callee) {
  std::string symbol = ("predict_foreign_" + callee).str();
  std::replace(symbol.begin(), symbol.end(), '.', '_');
  return symbol;
}
