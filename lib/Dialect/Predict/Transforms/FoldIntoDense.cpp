//===- FoldIntoDense.cpp - fold normalizations and activations into Dense -===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTFOLDINTODENSE
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
/// The f32 values of a constant operand (inline or resource), or nullopt.
std::optional<std::vector<float>> constantValues(Value value) {
  if (!value)
    return std::nullopt;
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  ElementsAttr attr = constant.getValue();
  if (!attr.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return std::vector<float>(dense.getValues<float>().begin(),
                              dense.getValues<float>().end());
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    if (auto data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}

Value constantOf(PatternRewriter &rewriter, Location loc, ArrayRef<int64_t> shape,
                 ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, rewriter.getF32Type());
  return ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, values));
}

/// A per-feature affine map (x - center) * scale + offset, kept in this
/// form: the center is subtracted from x before any rounding of a product
/// (see FoldNormBeforeDense).
struct Affine {
  std::vector<double> center, scale, offset;
  /// offset - center * scale: the map as x * scale + shift.
  double shift(size_t j) const { return offset[j] - center[j] * scale[j]; }
};

/// The affine map of a batch normalization over the last axis of a rank-2
/// tensor with constant parameters.
std::optional<Affine> affineOf(BatchNormOp bn) {
  auto type = dyn_cast<RankedTensorType>(bn.getInput().getType());
  if (!type || type.getRank() != 2 || normalizeAxis(bn.getAxis(), 2) != 1)
    return std::nullopt;
  auto mean = constantValues(bn.getMean());
  auto variance = constantValues(bn.getVariance());
  if (!mean || !variance)
    return std::nullopt;
  size_t n = mean->size();
  auto gamma = bn.getGamma() ? constantValues(bn.getGamma())
                             : std::optional<std::vector<float>>(
                                   std::vector<float>(n, 1.0f));
  auto beta = bn.getBeta() ? constantValues(bn.getBeta())
                           : std::optional<std::vector<float>>(
                                 std::vector<float>(n, 0.0f));
  if (!gamma || !beta)
    return std::nullopt;
  double epsilon = bn.getEpsilon().convertToDouble();
  Affine a;
  for (size_t j = 0; j < n; ++j) {
    a.center.push_back((*mean)[j]);
    a.scale.push_back((*gamma)[j] / std::sqrt(double((*variance)[j]) + epsilon));
    a.offset.push_back((*beta)[j]);
  }
  return a;
}

/// The affine map of a Normalization whose statistics vary along the last
/// axis only (shape F or 1 x F).
std::optional<Affine> affineOf(NormalizationOp norm) {
  auto type = dyn_cast<RankedTensorType>(norm.getInput().getType());
  auto statType = dyn_cast<RankedTensorType>(norm.getMean().getType());
  if (!type || type.getRank() != 2 || !statType ||
      ShapedType::isDynamic(type.getDimSize(1)))
    return std::nullopt;
  for (int64_t d : statType.getShape().drop_back())
    if (d != 1)
      return std::nullopt;
  if (statType.getRank() == 0 || statType.getShape().back() != type.getDimSize(1))
    return std::nullopt;
  auto mean = constantValues(norm.getMean());
  auto variance = constantValues(norm.getVariance());
  if (!mean || !variance)
    return std::nullopt;
  double epsilon = norm.getEpsilon().convertToDouble();
  Affine a;
  for (size_t j = 0; j < mean->size(); ++j) {
    a.center.push_back((*mean)[j]);
    a.scale.push_back(1.0 / std::max(std::sqrt(double((*variance)[j])), epsilon));
    a.offset.push_back(0.0);
  }
  return a;
}

/// A Dense layer's constant weights, the bias zero when absent.
struct DenseWeights {
  std::vector<float> kernel, bias;
  int64_t rows, units;
};

std::optional<DenseWeights> denseWeights(DenseOp dense) {
  auto kernel = constantValues(dense.getKernel());
  if (!kernel)
    return std::nullopt;
  auto type = cast<RankedTensorType>(dense.getKernel().getType());
  DenseWeights w{*kernel, {}, type.getDimSize(0), type.getDimSize(1)};
  w.bias.assign(w.units, 0.0f);
  if (dense.getBias()) {
    auto bias = constantValues(dense.getBias());
    if (!bias)
      return std::nullopt;
    w.bias = *bias;
  }
  return w;
}

/// Whether every weight and statistic is finite. Folding multiplies them
/// together ahead of time, which changes IEEE results otherwise: with a
/// gamma of 0 and an infinite kernel entry, the layers give beta * inf, the
/// folded kernel 0 * inf = NaN. Such layers are left as they are.
bool allFinite(const Affine &a, const DenseWeights &w) {
  auto finite = [](auto &values) {
    return llvm::all_of(values, [](double v) { return std::isfinite(v); });
  };
  return finite(a.center) && finite(a.scale) && finite(a.offset) &&
         finite(w.kernel) && finite(w.bias);
}

/// `dense`'s replacement with new weights on `input`.
void replaceWithDense(PatternRewriter &rewriter, Operation *op, Value input,
                      const DenseWeights &w, ActivationKind activation) {
  Location loc = op->getLoc();
  rewriter.replaceOpWithNewOp<DenseOp>(
      op, op->getResult(0).getType(), input,
      constantOf(rewriter, loc, {w.rows, w.units}, w.kernel),
      constantOf(rewriter, loc, {w.units}, w.bias), activation);
}

/// batch_norm(dense(x, K, b)) with a linear Dense: scale K's columns.
struct FoldBatchNormAfterDense : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto dense = bn.getInput().getDefiningOp<DenseOp>();
    if (!dense || !dense->hasOneUse() ||
        dense.getActivation() != ActivationKind::linear)
      return rewriter.notifyMatchFailure(bn, "not after a linear Dense");
    auto affine = affineOf(bn);
    auto w = denseWeights(dense);
    if (!affine || !w)
      return rewriter.notifyMatchFailure(bn, "parameters are not constants");
    if (!allFinite(*affine, *w))
      return rewriter.notifyMatchFailure(bn, "NaN or infinite parameters");
    for (int64_t i = 0; i < w->rows; ++i)
      for (int64_t j = 0; j < w->units; ++j)
        w->kernel[i * w->units + j] *= affine->scale[j];
    for (int64_t j = 0; j < w->units; ++j)
      w->bias[j] = w->bias[j] * affine->scale[j] + affine->shift(j);
    replaceWithDense(rewriter, bn, dense.getInput(), *w, ActivationKind::linear);
    return success();
  }
};

/// dense(batch_norm(x)) or dense(normalization(x)): scale K's rows, and
/// keep the centering as an elementwise subtraction.
///
/// ((x - c) s + o) K + b = (x - c) (diag(s) K) + (o K + b). Folding the
/// centering into the bias as well (x (diag(s) K) + ((o - c s) K + b))
/// would be one op less, but loses precision: for features of scale 1e6
/// with a spread of 1 (raw inputs, the usual reason to normalize first),
/// the raw x meets the kernel and the large terms cancel against the bias
/// afterwards, which left outputs of ~8 off by 0.6, far worse than
/// TensorFlow's float32 evaluation of the two layers. x - c rounds once, to
/// a value of the normalized scale; the rest is as accurate as TensorFlow's
/// (x - c) s then K. The subtraction is elementwise: it fuses with the
/// contraction's input and costs no pass over the weights.
template <typename NormOp>
struct FoldNormBeforeDense : OpRewritePattern<DenseOp> {
  using OpRewritePattern<DenseOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(DenseOp dense,
                                PatternRewriter &rewriter) const override {
    auto norm = dense.getInput().template getDefiningOp<NormOp>();
    if (!norm || !norm->hasOneUse())
      return rewriter.notifyMatchFailure(dense, "input is not normalized");
    auto affine = affineOf(norm);
    auto w = denseWeights(dense);
    if (!affine || !w)
      return rewriter.notifyMatchFailure(dense, "parameters are not constants");
    if (!allFinite(*affine, *w))
      return rewriter.notifyMatchFailure(dense, "NaN or infinite parameters");
    for (int64_t j = 0; j < w->units; ++j) {
      double sum = w->bias[j];
      for (int64_t i = 0; i < w->rows; ++i)
        sum += affine->offset[i] * w->kernel[i * w->units + j];
      w->bias[j] = sum;
    }
    for (int64_t i = 0; i < w->rows; ++i)
      for (int64_t j = 0; j < w->units; ++j)
        w->kernel[i * w->units + j] *= affine->scale[i];
    Value input = norm.getInput();
    if (llvm::any_of(affine->center, [](double c) { return c != 0.0; })) {
      std::vector<float> center(affine->center.begin(), affine->center.end());
      input = SubOp::create(
          rewriter, norm.getLoc(), input.getType(), input,
          constantOf(rewriter, norm.getLoc(), {w->rows}, center));
    }
    replaceWithDense(rewriter, dense, input, *w, dense.getActivation());
    return success();
  }
};

/// activation(dense(x, K, b)) of a linear Dense: one epilogue.
struct FoldActivationIntoDense : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp act,
                                PatternRewriter &rewriter) const override {
    auto dense = act.getInput().getDefiningOp<DenseOp>();
    if (!dense || !dense->hasOneUse() ||
        dense.getActivation() != ActivationKind::linear)
      return rewriter.notifyMatchFailure(act, "not after a linear Dense");
    // Dense applies activations with their defaults: only those fold.
    if (act.getAlpha() || act.getApproximate())
      return rewriter.notifyMatchFailure(act, "non-default parameters");
    if (auto axis = act.getAxis()) {
      auto type = cast<RankedTensorType>(act.getType());
      if (normalizeAxis(*axis, type.getRank()) != type.getRank() - 1)
        return rewriter.notifyMatchFailure(act, "softmax not on features");
    }
    rewriter.replaceOpWithNewOp<DenseOp>(act, act.getType(), dense.getInput(),
                                         dense.getKernel(), dense.getBias(),
                                         act.getKind());
    return success();
  }
};

struct FoldIntoDense : predict::impl::PredictFoldIntoDenseBase<FoldIntoDense> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormAfterDense, FoldNormBeforeDense<BatchNormOp>,
                 FoldNormBeforeDense<NormalizationOp>, FoldActivationIntoDense>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
