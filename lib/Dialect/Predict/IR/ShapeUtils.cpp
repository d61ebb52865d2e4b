//===- ShapeUtils.cpp - shape rules shared by the predict ops -------------===//

#include "predict/Dialect/Predict/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

Type predict::meetTypes(Type a, Type b) {
  if (a == b)
    return a;
  auto ta = dyn_cast<TensorType>(a);
  auto tb = dyn_cast<TensorType>(b);
  if (!ta || !tb || ta.getElementType() != tb.getElementType())
    return {};
  if (!ta.hasRank())
    return tb;
  if (!tb.hasRank())
    return ta;
  if (ta.getRank() != tb.getRank())
    return {};
  SmallVector<int64_t> shape;
  for (auto [da, db] : llvm::zip_equal(ta.getShape(), tb.getShape())) {
    if (ShapedType::isDynamic(da))
      shape.push_back(db);
    else if (ShapedType::isDynamic(db) || da == db)
      shape.push_back(da);
    else
      return {};
  }
  return RankedTensorType::get(shape, ta.getElementType());
}

std::optional<SmallVector<int64_t>>
predict::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the trailing dimension; missing leading dimensions are 1.
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == 1)
      result[i] = db;
    else if (db == 1)
      result[i] = da;
    else if (ShapedType::isDynamic(da))
      result[i] = db;
    else if (ShapedType::isDynamic(db) || da == db)
      result[i] = da;
    else
      return std::nullopt;
  }
  return result;
}

std::optional<int64_t> predict::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::string predict::formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return text;
}

std::string predict::formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}

std::string predict::formatLocation(Location loc) {
  std::string text;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return text;
}

Value predict::pythonRangeLength(OpBuilder &b, Location loc, Value start,
                                 Value stop, Value step) {
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value zero = constant(0), one = constant(1);
  Value ascending =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, step, zero);
  // Empty unless stop lies beyond start in the step's direction.
  Value nonEmpty = arith::SelectOp::create(
      b, loc, ascending,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, stop, start),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, stop, start));
  // The distance (1 to 2**64 - 1) and the stride (1 to 2**63), unsigned.
  Value distance = arith::SelectOp::create(
      b, loc, ascending, arith::SubIOp::create(b, loc, stop, start),
      arith::SubIOp::create(b, loc, start, stop));
  Value stride = arith::SelectOp::create(
      b, loc, ascending, step, arith::SubIOp::create(b, loc, zero, step));
  // 1 + (distance - 1) / stride: no sum that could wrap.
  Value count = arith::AddIOp::create(
      b, loc,
      arith::DivUIOp::create(
          b, loc, arith::SubIOp::create(b, loc, distance, one), stride),
      one);
  return arith::SelectOp::create(b, loc, nonEmpty, count, zero);
}
