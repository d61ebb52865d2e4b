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

/// A per-feature affine map x * scale + shift.
struct Affine {
  std::vector<float> scale, shift;
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
    double s = (*gamma)[j] / std::sqrt(double((*variance)[j]) + epsilon);
    a.scale.push_back(s);
    a.shift.push_back((*beta)[j] - (*mean)[j] * s);
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
    double s = 1.0 / std::max(std::sqrt(double((*variance)[j])), epsilon);
    a.scale.push_back(s);
    a.shift.push_back(-(*mean)[j] * s);
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
    for (int64_t i = 0; i < w->rows; ++i)
      for (int64_t j = 0; j < w->units; ++j)
        w->kernel[i * w->units + j] *= affine->scale[j];
    for (int64_t j = 0; j < w->units; ++j)
      w->bias[j] = w->bias[j] * affine->scale[j] + affine->shift[j];
    replaceWithDense(rewriter, bn, dense.getInput(), *w, ActivationKind::linear);
    return success();
  }
};

/// dense(batch_norm(x)) or dense(normalization(x)): scale K's rows.
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
    // (x s + t) K + b = x (diag(s) K) + (t K + b)
    for (int64_t j = 0; j < w->units; ++j) {
      double sum = w->bias[j];
      for (int64_t i = 0; i < w->rows; ++i)
        sum += double(affine->shift[i]) * w->kernel[i * w->units + j];
      w->bias[j] = sum;
    }
    for (int64_t i = 0; i < w->rows; ++i)
      for (int64_t j = 0; j < w->units; ++j)
        w->kernel[i * w->units + j] *= affine->scale[i];
    replaceWithDense(rewriter, dense, norm.getInput(), *w,
                     dense.getActivation());
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
