//===- EmbeddingPattern.cpp - predict.embedding to checked linalg gathers -===//
//
// An Embedding is a gather: each output element is `table[id, k]`. Before
// the gather, the ids are checked at run time (C142): a float id must hold
// an integer (Keras's cast to int32 would truncate it silently), and every
// id must lie in [0, rows), since a table read out of its bounds is memory
// that is not the table. The gather clamps its index as well, so that no
// reordering of the code can read out of bounds before the check fails.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::lowering;

namespace {
/// The dynamic sizes of `value` (a ranked tensor), in order.
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, value, d));
  return sizes;
}

/// A one-element reduction of every element of `input` into the scalar
/// tensors `inits` (rank 0), combined by `body(element, accumulators)`.
SmallVector<Value> reduceAll(
    OpBuilder &b, Location loc, Value input, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
        body) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank)};
  for (size_t i = 0; i < inits.size(); ++i)
    maps.push_back(AffineMap::get(rank, 0, b.getContext()));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, ValueRange(inits).getTypes(), input, inits, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl,
                                body(nb, nl, args[0], args.drop_front()));
      });
  return SmallVector<Value>(generic.getResults());
}

/// A rank-0 tensor holding `value`.
Value scalarTensor(OpBuilder &b, Location loc, Value value) {
  auto type = RankedTensorType::get({}, value.getType());
  return linalg::FillOp::create(b, loc, value, emptyTensor(b, loc, type, {}))
      .getResult(0);
}

Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
}

/// What looks the ids up, for messages: the layer's name as the Keras
/// importer records it in the location ("Embedding 'user_embedding'"),
/// "tf.gather" (the name the Python front end gives its op) or "this
/// Embedding".
std::string layerWords(Location loc) {
  std::string layer = "this Embedding";
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner)) {
      layer = name.getName() == "tf.gather"
                  ? "tf.gather"
                  : ("Embedding '" + name.getName().getValue() + "'").str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return layer;
}

struct EmbeddingLowering : OpConversionPattern<EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value ids = adaptor.getIds();
    Value table = adaptor.getEmbeddings();
    auto idsType = cast<RankedTensorType>(ids.getType());
    auto tableType = cast<RankedTensorType>(table.getType());
    int64_t rank = idsType.getRank();
    Type i64 = rewriter.getI64Type();
    std::string layer = layerWords(loc);
    Value rows = getValueOrCreateConstantIndexOp(
        rewriter, loc, sizeOf(rewriter, loc, table, 0));
    Value rows64 = arith::IndexCastOp::create(rewriter, loc, i64, rows);

    // Float ids: each must be an integer (NaN is not) of magnitude below
    // 2**62 (infinity is not; the value could not be printed as an i64),
    // then they are integers like any others.
    if (auto floatType = dyn_cast<FloatType>(idsType.getElementType())) {
      Value yes = scalarTensor(
          rewriter, loc, arith::ConstantIntOp::create(rewriter, loc, 1, 1));
      auto checks = reduceAll(
          rewriter, loc, ids, {yes, yes},
          [&](OpBuilder &nb, Location nl, Value x, ValueRange acc) {
            Value whole = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OEQ,
                math::TruncOp::create(nb, nl, x), x);
            // Unordered: NaN counts as small here, and fails `whole`.
            Value small =
                arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::ULT,
                                      math::AbsFOp::create(nb, nl, x),
                                      floatConstant(nb, nl, floatType, 0x1p62));
            return SmallVector<Value>{
                arith::AndIOp::create(nb, nl, acc[0], whole),
                arith::AndIOp::create(nb, nl, acc[1], small)};
          });
      emitCheck(rewriter, loc, extractScalar(rewriter, loc, checks[0]),
                layer + " got an id that is not an integer (a fraction, "
                        "which Keras would truncate, or NaN): give integer "
                        "ids");
      emitCheck(rewriter, loc, extractScalar(rewriter, loc, checks[1]),
                layer + " got an id of magnitude 2**62 or more (infinity or "
                        "a huge value), outside [0, {0}) (input_dim {0})",
                {rows64});
      // Clamped into i64's range before the conversion, which is
      // undefined beyond it; a non-integer is 0 (the check above fails).
      auto intType = RankedTensorType::get(idsType.getShape(), i64);
      Value empty = emptyTensor(rewriter, loc, intType,
                                dynamicSizes(rewriter, loc, ids));
      SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
      SmallVector<utils::IteratorType> iterators(
          rank, utils::IteratorType::parallel);
      ids = linalg::GenericOp::create(
                rewriter, loc, intType, ids, empty, maps, iterators,
                [&](OpBuilder &nb, Location nl, ValueRange args) {
                  Value x = args[0];
                  Value whole = arith::CmpFOp::create(
                      nb, nl, arith::CmpFPredicate::OEQ,
                      math::TruncOp::create(nb, nl, x), x);
                  Value limit = floatConstant(nb, nl, floatType, 0x1p62);
                  Value neg = floatConstant(nb, nl, floatType, -0x1p62);
                  Value clamped = arith::MinimumFOp::create(
                      nb, nl, arith::MaximumFOp::create(nb, nl, x, neg), limit);
                  clamped = arith::SelectOp::create(
                      nb, nl, whole, clamped, floatConstant(nb, nl, floatType, 0));
                  linalg::YieldOp::create(
                      nb, nl,
                      Value(arith::FPToSIOp::create(nb, nl, i64, clamped)));
                })
                .getResult(0);
      idsType = cast<RankedTensorType>(ids.getType());
    }

    // The smallest id against 0 and the largest against -1, so that no ids
    // pass (a table of 0 rows too): one is out of range exactly when min <
    // 0 or max >= rows.
    Type idElement = idsType.getElementType();
    Value zero = arith::ConstantIntOp::create(rewriter, loc, idElement, 0);
    Value minusOne = arith::ConstantIntOp::create(rewriter, loc, idElement, -1);
    auto extremes = reduceAll(
        rewriter, loc, ids,
        {scalarTensor(rewriter, loc, zero),
         scalarTensor(rewriter, loc, minusOne)},
        [](OpBuilder &nb, Location nl, Value x, ValueRange acc) {
          return SmallVector<Value>{
              arith::MinSIOp::create(nb, nl, acc[0], x),
              arith::MaxSIOp::create(nb, nl, acc[1], x)};
        });
    auto toI64 = [&](Value v) -> Value {
      if (v.getType() == i64)
        return v;
      return arith::ExtSIOp::create(rewriter, loc, i64, v);
    };
    Value min = toI64(extractScalar(rewriter, loc, extremes[0]));
    Value max = toI64(extractScalar(rewriter, loc, extremes[1]));
    Value zero64 = arith::ConstantIntOp::create(rewriter, loc, i64, 0);
    std::string range =
        layer == "tf.gather"
            ? "outside [0, {1}) (params has {1} along the axis)"
            : "outside [0, {1}) (input_dim {1}); Keras ids index the rows of "
              "the embedding table";
    llvm::StringRef id =
        layer == "tf.gather" ? " got index {0}, " : " got id {0}, ";
    emitCheck(rewriter, loc,
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                    min, zero64),
              layer + id + range, {min, rows64});
    emitCheck(rewriter, loc,
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                    max, rows64),
              layer + id + range, {max, rows64});

    // The gather: out[i..., k] = table[clamp(ids[i...]), k].
    auto resultType = RankedTensorType::get(
        llvm::to_vector(llvm::concat<const int64_t>(
            idsType.getShape(), ArrayRef<int64_t>{tableType.getDimSize(1)})),
        tableType.getElementType());
    SmallVector<Value> sizes = dynamicSizes(rewriter, loc, ids);
    if (tableType.isDynamicDim(1))
      sizes.push_back(tensor::DimOp::create(rewriter, loc, table, 1));
    Value empty = emptyTensor(rewriter, loc, resultType, sizes);
    AffineMap outMap = rewriter.getMultiDimIdentityMap(rank + 1);
    SmallVector<AffineMap> maps{outMap.dropResult(rank), outMap};
    SmallVector<utils::IteratorType> iterators(rank + 1,
                                               utils::IteratorType::parallel);
    Value gathered =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ids, empty, maps, iterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value id = args[0];
              if (id.getType() != i64)
                id = arith::ExtSIOp::create(nb, nl, i64, id);
              Value last = arith::SubIOp::create(
                  nb, nl, rows64,
                  arith::ConstantIntOp::create(nb, nl, i64, 1));
              id = arith::MinSIOp::create(
                  nb, nl,
                  arith::MaxSIOp::create(
                      nb, nl, id, arith::ConstantIntOp::create(nb, nl, i64, 0)),
                  last);
              Value row = arith::IndexCastOp::create(nb, nl,
                                                     nb.getIndexType(), id);
              Value column = linalg::IndexOp::create(nb, nl, rank);
              Value v = tensor::ExtractOp::create(nb, nl, table,
                                                  ValueRange{row, column});
              linalg::YieldOp::create(nb, nl, v);
            })
            .getResult(0);
    replaceWithCheckedCast(rewriter, op, gathered);
    return success();
  }
};
} // namespace

void mlir::predict::lowering::populateEmbeddingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<EmbeddingLowering>(patterns.getContext());
}
