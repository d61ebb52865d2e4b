//===- LowerLoops.cpp - Python loops to scf.for, lists to one tensor ------===//

#include "predict/Dialect/Predict/IR/PredictOps.h"
#include "predict/Dialect/Predict/IR/ShapeUtils.h"
#include "predict/Dialect/Predict/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <set>

namespace mlir::predict {
#define GEN_PASS_DEF_PREDICTLOWERLOOPS
#include "predict/Dialect/Predict/Transforms/Passes.h.inc"
} // namespace mlir::predict

using namespace mlir;
using namespace mlir::predict;

namespace {
Value constantIndexFor(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value constantIndex(OpBuilder &b, Location loc, int64_t v) {
  return constantIndexFor(b, loc, v);
}

/// How one list carried by a loop becomes a preallocated tensor.
struct ListPlan {
  unsigned index;            // among the loop's iter_args
  ListAppendOp append;       // the one append per iteration
  Operation *join = nullptr; // list.concat or list.stack after the loop
  RankedTensorType element;  // the appended value's type
  int64_t axis = 0;          // of the result along which elements go
  bool stack = false;
  /// The element's size along the join axis (tf.concat) is known only at run
  /// time and may differ between iterations: the list is a growing buffer
  /// carried with the number of rows used (see `lowerGrowing`).
  bool growing = false;
  /// The element's size along each axis: the same in every iteration,
  /// known before the loop (a constant, or the size of a value defined
  /// before it).
  SmallVector<OpFoldResult> sizes;
};

/// The size of a tensor along one axis, as known before a loop: a
/// constant, the size of a value defined before the loop, or an index
/// value defined before it.
struct SizeRef {
  /// The dim of `value` an index value is its own size by.
  static constexpr int64_t kIndex = -1;
  Value value; // null for a constant
  int64_t dim; // the constant, the axis of `value`, or kIndex
  bool operator==(const SizeRef &o) const {
    return value == o.value && dim == o.dim;
  }
};

/// Proves that the size of `value` along `dim`, for a value computed in the
/// body of `loop`, is the same in every iteration, and finds it before the
/// loop: through ops whose result sizes are their operands'
/// (ShapeInferenceOpInterface::getResultDimSources) or index operands'
/// (predict.fill, tensor.extract_slice, tensor.empty, read through
/// predict.dim and tensor.dim) down to values defined before the loop,
/// constants, or a loop-carried value whose next value keeps its size
/// (`h = dense(h)`). Sizes before the loop are traced the same way as far as
/// they go, so that `tf.zeros((tf.shape(x)[0], 8))` and `x[:, t, :]` are
/// both known to have `x`'s batch size.
class LoopInvariantSizes {
public:
  /// `loop` is a predict.for or an scf.while whose condition forwards the
  /// before block's arguments as they are (as the front end makes it).
  explicit LoopInvariantSizes(Operation *loop) : loop(loop) {}

  std::optional<SizeRef> size(Value value, int64_t dim) {
    // Remembered: a chain of residual blocks (`x = f(x) + x`) reaches each
    // value by 2**depth paths.
    auto key = std::make_pair(value, dim);
    auto it = known.find(key);
    if (it != known.end())
      return it->second;
    std::optional<SizeRef> result = compute(value, dim);
    known[key] = result;
    found.push_back(key);
    return result;
  }

  /// `size` as a value before the loop.
  OpFoldResult materialize(OpBuilder &b, Location loc, SizeRef s) {
    if (!s.value)
      return b.getIndexAttr(s.dim);
    if (s.dim == SizeRef::kIndex)
      return s.value;
    return tensor::DimOp::create(b, loc, s.value, s.dim).getResult();
  }

private:
  std::optional<SizeRef> compute(Value value, int64_t dim) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || dim < 0 || dim >= type.getRank())
      return std::nullopt;
    if (!type.isDynamicDim(dim))
      return SizeRef{Value(), type.getDimSize(dim)};
    bool inside = isInside(value);
    // Before the loop, a size that cannot be traced further is itself.
    auto untraced = [&]() -> std::optional<SizeRef> {
      if (inside)
        return std::nullopt;
      return SizeRef{value, dim};
    };
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      if (!inside)
        return untraced();
      std::optional<unsigned> carried = carriedIndex(arg);
      if (!carried)
        return std::nullopt;
      unsigned index = *carried;
      std::optional<SizeRef> init = size(initOf(index), dim);
      // Assume the carried value keeps the initial size, and check that
      // the value carried to the next iteration does.
      auto key = std::make_pair(index, dim);
      if (assumed.count(key))
        return init;
      assumed.insert(key);
      size_t mark = found.size();
      std::optional<SizeRef> next = size(nextOf(index), dim);
      assumed.erase(key);
      // What was found assuming it holds only while it does.
      for (const auto &k : llvm::drop_begin(found, mark))
        known.erase(k);
      found.resize(mark);
      if (!next || !init || !(*next == *init))
        return std::nullopt;
      return init;
    }
    Operation *def = value.getDefiningOp();
    if (auto fill = dyn_cast<FillOp>(def)) {
      // Each dynamic size is one `sizes` operand, in order (C33).
      int64_t operand = 0;
      for (int64_t d = 0; d < dim; ++d)
        operand += type.isDynamicDim(d);
      if (operand < int64_t(fill.getSizes().size()))
        if (std::optional<SizeRef> s = indexSize(fill.getSizes()[operand]))
          return s;
      return untraced();
    }
    if (auto empty = dyn_cast<tensor::EmptyOp>(def)) {
      if (std::optional<SizeRef> s = indexSize(empty.getDynamicSize(dim)))
        return s;
      return untraced();
    }
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def)) {
      // The result's axes are the source's that the slice keeps.
      llvm::SmallBitVector dropped = slice.getDroppedDims();
      int64_t kept = -1;
      for (auto [d, size] : llvm::enumerate(slice.getMixedSizes())) {
        if (dropped.test(d) || ++kept != dim)
          continue;
        if (auto attr = dyn_cast<Attribute>(size))
          return SizeRef{Value(), cast<IntegerAttr>(attr).getInt()};
        if (std::optional<SizeRef> s = indexSize(cast<Value>(size)))
          return s;
        break;
      }
      return untraced();
    }
    // A branch's result has the size both arms give it (the body of a
    // `for` loop with `break` is one: its values are the iteration's, or
    // unchanged once it broke).
    if (auto branch = dyn_cast<scf::IfOp>(def); branch && branch.elseBlock()) {
      unsigned r = cast<OpResult>(value).getResultNumber();
      std::optional<SizeRef> then = size(branch.thenYield().getOperand(r), dim);
      std::optional<SizeRef> other =
          then ? size(branch.elseYield().getOperand(r), dim) : std::nullopt;
      if (then && other && *then == *other)
        return then;
      return untraced();
    }
    // Every result of a recurrent layer (its output, sequence or last,
    // and its final states) has a row per row of its input (C205): a
    // Keras LSTM called once per step of a Python loop keeps the batch.
    if (auto recurrent = dyn_cast<RecurrentOp>(def); recurrent && dim == 0)
      return size(recurrent.getInput(), 0);
    // A unit axis added or removed (`h[:, None]`, tf.expand_dims,
    // tf.squeeze): an axis whose reassociation group's other axes are
    // static 1s is the group's one axis on the other side.
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      for (auto [source, group] :
           llvm::enumerate(expand.getReassociationIndices())) {
        if (!llvm::is_contained(group, dim))
          continue;
        if (llvm::all_of(group, [&](int64_t d) {
              return d == dim || type.getDimSize(d) == 1;
            }))
          return size(expand.getSrc(), source);
      }
      return untraced();
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      auto sourceType = collapse.getSrcType();
      ReassociationIndices group = collapse.getReassociationIndices()[dim];
      SmallVector<int64_t> wide;
      for (int64_t d : group)
        if (sourceType.getDimSize(d) != 1)
          wide.push_back(d);
      if (wide.size() == 1)
        return size(collapse.getSrc(), wide.front());
      return untraced();
    }
    // Through the op's own rule of which operand sizes its result's are
    // (ShapeInferenceOpInterface::getResultDimSources); several sources
    // must agree (numpy broadcasting).
    auto shaped = dyn_cast_or_null<ShapeInferenceOpInterface>(def);
    if (!shaped || shaped->getResult(0) != value)
      return untraced();
    std::optional<SizeRef> result;
    for (auto [operand, d] : shaped.getResultDimSources(dim)) {
      std::optional<SizeRef> s = size(shaped->getOperand(operand), d);
      if (!s || (result && !(*result == *s)))
        return untraced();
      result = s;
    }
    return result ? result : untraced();
  }

  /// The size an index value stands for: a constant, the size of a tensor
  /// it reads (predict.dim, tensor.dim), or itself when it is defined
  /// before the loop.
  std::optional<SizeRef> indexSize(Value index) {
    if (std::optional<int64_t> c = getConstantIntValue(index))
      return SizeRef{Value(), *c};
    if (auto dimOp = index.getDefiningOp<DimOp>()) {
      auto type = dyn_cast<RankedTensorType>(dimOp.getInput().getType());
      if (std::optional<int64_t> axis =
              type ? normalizeAxis(dimOp.getAxis(), type.getRank())
                   : std::nullopt)
        return size(dimOp.getInput(), *axis);
    }
    if (auto dimOp = index.getDefiningOp<tensor::DimOp>())
      if (std::optional<int64_t> axis = dimOp.getConstantIndex())
        return size(dimOp.getSource(), *axis);
    if (isInside(index))
      return std::nullopt;
    return SizeRef{index, SizeRef::kIndex};
  }

  /// Whether `value` is defined in the loop's regions.
  bool isInside(Value value) const {
    return loop->isAncestor(value.getParentRegion()->getParentOp());
  }

  /// Which carried value a block argument of the loop is: predict.for's
  /// iter_args (after the induction variable); either block's arguments of
  /// an scf.while whose condition forwards the before block's arguments.
  std::optional<unsigned> carriedIndex(BlockArgument arg) const {
    if (auto forOp = dyn_cast<ForOp>(loop)) {
      if (arg.getOwner() != forOp.getBodyBlock() || arg.getArgNumber() == 0)
        return std::nullopt;
      return arg.getArgNumber() - 1;
    }
    auto whileOp = cast<scf::WhileOp>(loop);
    if (arg.getOwner() == whileOp.getBeforeBody())
      return arg.getArgNumber();
    if (arg.getOwner() != whileOp.getAfterBody())
      return std::nullopt;
    // The before block's argument the condition forwards as this one.
    auto forwarded = dyn_cast<BlockArgument>(
        whileOp.getConditionOp().getArgs()[arg.getArgNumber()]);
    if (!forwarded || forwarded.getOwner() != whileOp.getBeforeBody())
      return std::nullopt;
    return forwarded.getArgNumber();
  }

  Value initOf(unsigned index) const {
    if (auto forOp = dyn_cast<ForOp>(loop))
      return forOp.getInitArgs()[index];
    return cast<scf::WhileOp>(loop).getInits()[index];
  }

  Value nextOf(unsigned index) const {
    if (auto forOp = dyn_cast<ForOp>(loop))
      return cast<YieldOp>(forOp.getBodyBlock()->getTerminator())
          .getValues()[index];
    return cast<scf::WhileOp>(loop).getYieldOp().getResults()[index];
  }

  Operation *loop;
  std::set<std::pair<unsigned, int64_t>> assumed;
  /// Sizes found (std::nullopt: not traced), and in the order found.
  DenseMap<std::pair<Value, int64_t>, std::optional<SizeRef>> known;
  SmallVector<std::pair<Value, int64_t>> found;
};

/// The join after the loop, or an error at the first use that is not one.
LogicalResult findJoin(Operation *loop, ListPlan &plan) {
  // In program order, so that the second of two joins is the one reported.
  SmallVector<Operation *> users(loop->getResult(plan.index).getUsers());
  llvm::sort(users, [](Operation *a, Operation *b) {
    return a->getBlock() == b->getBlock() ? a->isBeforeInBlock(b) : a < b;
  });
  for (Operation *user : users) {
    if (plan.join || !isa<ListConcatOp, ListStackOp>(user)) {
      InFlightDiagnostic diag =
          user->emitError()
          << "the list built by a loop is used here other than by one "
             "tf.concat/tf.stack after the loop; predict turns such a list "
             "into one tensor and supports no other use of it";
      diag.attachNote(loop->getLoc()) << "the loop that builds the list";
      return diag;
    }
    plan.join = user;
  }
  return success();
}

/// A list carried by `loop` (a predict.for or an scf.while) starts empty
/// before it, and not in an enclosing loop's body.
LogicalResult checkInit(Operation *loop, Value init) {
  if (auto outer = dyn_cast<BlockArgument>(init);
      outer && isa<ForOp, scf::WhileOp>(outer.getOwner()->getParentOp()))
    return loop->emitError()
           << "a list is appended to inside a nested loop; predict supports "
              "a list appended once per iteration of the loop that builds "
              "it, so append in the outer loop (or concatenate the inner "
              "results first)";
  if (!init.getDefiningOp<ListEmptyOp>())
    return loop->emitError() << "the list carried by this loop must start "
                                "empty (`results = []` before the loop)";
  return success();
}

/// Whether the body appends to the list `arg` once, at its top level, and
/// gives that version, `next`, to the next iteration: nothing else.
bool isSimpleAppend(BlockArgument arg, Value next) {
  auto append = next.getDefiningOp<ListAppendOp>();
  return append && append.getList() == arg &&
         append->getBlock() == arg.getOwner() && arg.hasOneUse() &&
         append->hasOneUse();
}

/// The error of an element whose size along `d` may differ between
/// iterations (or between the appends of one), in the words of the loop the
/// user wrote: a `for`, tf.map_fn, or Keras's model.predict.
InFlightDiagnostic varyingSizeError(ListAppendOp append, int64_t d) {
  // tf.map_fn's and tf.vectorized_map's own list (the front end names its
  // append): fn's rows.
  if (auto name = dyn_cast<NameLoc>(append.getLoc());
      name &&
      (name.getName() == "tf.map_fn" || name.getName() == "tf.vectorized_map"))
    return append.emitError()
           << name.getName().getValue() << "'s fn gives a "
           << append.getValue().getType() << " whose size along axis " << d
           << " is known only at run time and may differ from one row of "
              "elems to the next: TensorFlow stacks fn's results only when "
              "they have one shape (it raises otherwise, unless "
              "fn_output_signature is a tf.RaggedTensorSpec, which "
              "predict's dense tensors do not hold); give fn results of "
              "one shape (tf.pad them to a size known before the loop)";
  // Keras's predict's batches (the front end names their append).
  if (auto name = dyn_cast<NameLoc>(append.getLoc());
      name && name.getName() == "model.predict")
    return append.emitError()
           << "model.predict's batches give an output of type "
           << append.getValue().getType() << " whose size along axis " << d
           << " is known only at run time and may differ from one batch to "
              "the next: Keras concatenates the batches' outputs along axis "
              "0 when their other sizes agree (it raises otherwise), and "
              "predict needs those sizes proven equal before the loop; call "
              "the model (model(x)) or predict_on_batch, which run it once "
              "on the whole input, or give the output sizes that do not "
              "depend on the batch's rows";
  return append.emitError()
         << "appends a value of type " << append.getValue().getType()
         << " whose size along axis " << d
         << " is known only at run time and may differ from one "
            "iteration to the next; predict joins such elements only "
            "along the axis tf.concat joins on, and needs their other "
            "sizes (and all sizes, for tf.stack) to be the same in every "
            "iteration (derived from values defined before the loop); to "
            "join a state carried by the loop, append it as it is and "
            "join with tf.stack(outputs, axis=1)";
}

/// Sets `plan.axis` and `plan.stack` from the join.
void planJoinAxis(ListPlan &plan) {
  int64_t rank = plan.element.getRank();
  if (auto concat = dyn_cast_or_null<ListConcatOp>(plan.join)) {
    plan.axis = *normalizeAxis(concat.getAxis(), rank);
  } else if (auto stack = dyn_cast_or_null<ListStackOp>(plan.join)) {
    plan.axis = *normalizeAxis(stack.getAxis(), rank + 1);
    plan.stack = true;
  }
}

/// A list that the body of `loop` appends to any number of times, under
/// run-time branches too (the versions an scf.if gives), as `arg` from
/// its start and `next` at its end: a growing buffer (`plan.growing`),
/// `tf.stack`'s elements each with the new unit axis (`plan.element` has
/// it). Each element's sizes along the other axes must be the same in
/// every iteration and for every append, proven as for one append.
LogicalResult planGrowing(Operation *loop, BlockArgument arg, Value next,
                          ListPlan &plan) {
  // Every version of the list in the body, and the appends that make them.
  llvm::SetVector<Value> versions;
  versions.insert(arg);
  SmallVector<ListAppendOp> appends;
  Operation *terminator = arg.getOwner()->getTerminator();
  for (size_t k = 0; k < versions.size(); ++k)
    for (OpOperand &use : versions[k].getUses()) {
      Operation *user = use.getOwner();
      auto append = dyn_cast<ListAppendOp>(user);
      if (append && use.getOperandNumber() == 0) {
        appends.push_back(append);
        versions.insert(append.getResult());
      } else if (isa<scf::YieldOp>(user) &&
                 isa<scf::IfOp>(user->getParentOp())) {
        versions.insert(user->getParentOp()->getResult(use.getOperandNumber()));
      } else if (user != terminator) {
        return user->emitError()
               << "the list is read inside the loop that builds it; predict "
                  "supports lists that are only appended to";
      }
    }
  if (!versions.contains(next))
    return terminator->emitError()
           << "the loop gives the next iteration another list than the one "
              "it carries: a bug in predict's front end, please report it";
  auto element =
      appends.empty()
          ? dyn_cast<RankedTensorType>(
                cast<ListType>(arg.getType()).getElementType())
          : dyn_cast<RankedTensorType>(appends.front().getValue().getType());
  if (failed(findJoin(loop, plan)))
    return failure();
  plan.growing = true;
  if (!plan.join)
    return success(); // dropped
  if (!element)
    return plan.join->emitError()
           << "joins a list whose elements' rank is not known (run "
              "predict-shape-inference)";
  plan.element = element;
  planJoinAxis(plan);
  LoopInvariantSizes sizes(loop);
  OpBuilder before(loop);
  for (int64_t d = 0; d < element.getRank(); ++d) {
    if (!plan.stack && d == plan.axis) {
      plan.sizes.push_back(OpFoldResult());
      continue;
    }
    std::optional<SizeRef> common;
    for (ListAppendOp append : appends) {
      std::optional<SizeRef> size = sizes.size(append.getValue(), d);
      if (!size || (common && !(*size == *common)))
        return varyingSizeError(append, d);
      common = size;
    }
    if (!common && element.isDynamicDim(d))
      return plan.join->emitError()
             << "joins a list that nothing is appended to, whose elements' "
                "size along axis "
             << d << " is not known";
    plan.sizes.push_back(
        common ? sizes.materialize(before, loop->getLoc(), *common)
               : OpFoldResult(before.getIndexAttr(element.getDimSize(d))));
  }
  if (plan.stack) {
    // Stacked: concatenated along the new unit axis.
    SmallVector<int64_t> shape(element.getShape());
    shape.insert(shape.begin() + plan.axis, 1);
    plan.element = RankedTensorType::get(shape, element.getElementType());
    plan.sizes.insert(plan.sizes.begin() + plan.axis, OpFoldResult());
  }
  return success();
}

/// How the list carried by `loop` at `index` becomes a tensor: one
/// destination written once per iteration (`tripsKnown`, the loop's trip
/// count known when it starts, and one append at the body's top level),
/// else a growing buffer (planGrowing).
LogicalResult planList(Operation *loop, unsigned index, Value init,
                       BlockArgument arg, Value next, bool tripsKnown,
                       ListPlan &plan) {
  plan.index = index;
  if (failed(checkInit(loop, init)))
    return failure();
  if (!tripsKnown || !isSimpleAppend(arg, next))
    return planGrowing(loop, arg, next, plan);
  ListAppendOp append = next.getDefiningOp<ListAppendOp>();
  plan.append = append;
  auto element = dyn_cast<RankedTensorType>(append.getValue().getType());
  if (!element)
    return append.emitError()
           << "appends a value of type " << append.getValue().getType()
           << ": predict allocates the joined result once and needs the "
              "rank of each element (run predict-shape-inference)";
  plan.element = element;
  if (failed(findJoin(loop, plan)))
    return failure();
  planJoinAxis(plan);
  // Sizes known only at run time (the batch size) are fine when they are
  // the same in every iteration: the joined result is allocated once,
  // before the loop. Along the axis tf.concat joins on, a size that may
  // differ (`x[i:i+1]` with i not proven in bounds) is fine too: the
  // elements then go into a buffer that grows as needed.
  LoopInvariantSizes sizes(loop);
  OpBuilder before(loop);
  for (int64_t d = 0; d < element.getRank(); ++d) {
    std::optional<SizeRef> size = sizes.size(append.getValue(), d);
    if (!size && plan.join && !plan.stack && d == plan.axis) {
      plan.growing = true;
      plan.sizes.push_back(OpFoldResult());
      continue;
    }
    if (!size)
      return varyingSizeError(append, d);
    plan.sizes.push_back(sizes.materialize(before, append.getLoc(), *size));
  }
  return success();
}

/// The concatenation, in a growing buffer, of elements whose size along
/// `plan.axis` is known only at run time: appends `value` at `used` rows of
/// `buffer`, first doubling its capacity (at least to fit) when it is full,
/// so that the copies amortize to linear time. Returns the new buffer and
/// the new number of rows used.
std::pair<Value, Value> appendGrowing(OpBuilder &b, Location loc,
                                      const ListPlan &plan, Value buffer,
                                      Value used, Value value) {
  int64_t axis = plan.axis, rank = plan.element.getRank();
  OpFoldResult along = tensor::getMixedSize(b, loc, value, axis);
  Value count = getValueOrCreateConstantIndexOp(b, loc, along);
  Value next = arith::AddIOp::create(b, loc, used, count);
  Value capacity = tensor::DimOp::create(b, loc, buffer, axis);
  Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, next,
                                     capacity);
  auto grow = scf::IfOp::create(
      b, loc, TypeRange{buffer.getType()}, full, /*withElseRegion=*/true);
  {
    OpBuilder then = grow.getThenBodyBuilder();
    Value doubled = arith::MulIOp::create(then, loc, capacity,
                                          constantIndexFor(then, loc, 2));
    Value larger = arith::MaxSIOp::create(then, loc, doubled, next);
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(then, loc, buffer);
    sizes[axis] = larger;
    Value empty = tensor::EmptyOp::create(then, loc, sizes,
                                          plan.element.getElementType());
    SmallVector<OpFoldResult> zeros(rank, then.getIndexAttr(0)),
        ones(rank, then.getIndexAttr(1));
    Value copied = tensor::InsertSliceOp::create(
        then, loc, buffer, empty, zeros,
        tensor::getMixedSizes(then, loc, buffer), ones);
    if (copied.getType() != buffer.getType())
      copied = tensor::CastOp::create(then, loc, buffer.getType(), copied);
    scf::YieldOp::create(then, loc, copied);
    OpBuilder otherwise = grow.getElseBodyBuilder();
    scf::YieldOp::create(otherwise, loc, buffer);
  }
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)),
      strides(rank, b.getIndexAttr(1));
  offsets[axis] = used;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  // (A static size stays static: the element's type is the slice's.)
  sizes[axis] = isa<Attribute>(along) ? along : OpFoldResult(count);
  Value inserted = tensor::InsertSliceOp::create(
      b, loc, value, grow.getResult(0), offsets, sizes, strides);
  return {inserted, next};
}

/// The lists of a loop body as growing buffers: each version of a list
/// (the body's argument, an append's result, an scf.if's result) becomes a
/// buffer and its rows used (both null for a list nobody joins, which is
/// dropped). `start` maps each carried list's argument; `rewrite` then
/// follows the body in program order: each append becomes appendGrowing,
/// each scf.if giving lists is made again giving their buffers and rows
/// used. planGrowing has checked that nothing else reads them.
class GrowingLists {
public:
  void start(Value list, const ListPlan *plan, Value buffer, Value used) {
    plans[list] = plan;
    pairs[list] = {buffer, used};
  }

  /// The buffer and rows used of a version of a list.
  std::pair<Value, Value> lookup(Value list) const {
    return pairs.lookup(list);
  }

  void rewrite(Block *block) {
    for (Operation &op : llvm::make_early_inc_range(*block)) {
      if (auto append = dyn_cast<ListAppendOp>(op)) {
        auto it = pairs.find(append.getList());
        if (it == pairs.end())
          continue; // not a list of this loop
        const ListPlan *plan = plans.lookup(append.getList());
        plans[append.getResult()] = plan;
        std::pair<Value, Value> next;
        if (it->second.first) {
          OpBuilder b(append);
          Location loc = append.getLoc();
          Value value = append.getValue();
          if (plan->stack)
            value = tensor::ExpandShapeOp::create(
                b, loc, plan->element, value,
                *getReassociationIndicesForReshape(
                    cast<ShapedType>(value.getType()), plan->element));
          next = appendGrowing(b, loc, *plan, it->second.first,
                               it->second.second, value);
        }
        pairs[append.getResult()] = next;
        dead.push_back(append);
        continue;
      }
      auto ifOp = dyn_cast<scf::IfOp>(op);
      if (!ifOp)
        continue;
      rewrite(ifOp.thenBlock());
      if (ifOp.elseBlock())
        rewrite(ifOp.elseBlock());
      if (llvm::any_of(ifOp.getResultTypes(), llvm::IsaPred<ListType>))
        rebuild(ifOp);
    }
  }

  /// Erases the lists' ops left (appends, old scf.ifs), once the loop's
  /// terminator no longer reads them.
  void erase() {
    for (Operation *op : llvm::reverse(dead)) {
      op->dropAllUses();
      op->erase();
    }
  }

private:
  /// `ifOp` again, each list result as its buffer and (after the other
  /// results) its rows used; a dropped list's result goes.
  void rebuild(scf::IfOp ifOp) {
    auto thenYield = cast<scf::YieldOp>(ifOp.thenBlock()->getTerminator());
    auto elseYield = cast<scf::YieldOp>(ifOp.elseBlock()->getTerminator());
    SmallVector<Type> types;
    SmallVector<Value> thenValues, elseValues, thenUsed, elseUsed;
    SmallVector<int> position(ifOp.getNumResults(), -1);
    SmallVector<unsigned> lists;
    for (auto [k, result] : llvm::enumerate(ifOp.getResults())) {
      Value t = thenYield.getOperand(k), e = elseYield.getOperand(k);
      if (!isa<ListType>(result.getType())) {
        position[k] = types.size();
        types.push_back(result.getType());
        thenValues.push_back(t);
        elseValues.push_back(e);
        continue;
      }
      plans[result] = plans.lookup(t);
      auto [thenBuffer, thenRows] = pairs.lookup(t);
      auto [elseBuffer, elseRows] = pairs.lookup(e);
      if (!thenBuffer) {
        pairs[result] = {};
        continue;
      }
      position[k] = types.size();
      types.push_back(thenBuffer.getType());
      thenValues.push_back(thenBuffer);
      elseValues.push_back(elseBuffer);
      thenUsed.push_back(thenRows);
      elseUsed.push_back(elseRows);
      lists.push_back(k);
    }
    unsigned firstUsed = types.size();
    types.append(thenUsed.size(), IndexType::get(ifOp.getContext()));
    thenValues.append(thenUsed);
    elseValues.append(elseUsed);
    OpBuilder b(ifOp);
    auto rebuilt =
        scf::IfOp::create(b, ifOp.getLoc(), types, ifOp.getCondition(),
                          /*withElseRegion=*/true);
    rebuilt.getThenRegion().takeBody(ifOp.getThenRegion());
    rebuilt.getElseRegion().takeBody(ifOp.getElseRegion());
    for (auto [yield, values] : {std::make_pair(thenYield, &thenValues),
                                 std::make_pair(elseYield, &elseValues)}) {
      OpBuilder at(yield);
      scf::YieldOp::create(at, yield.getLoc(), *values);
      yield.erase();
    }
    for (auto [k, result] : llvm::enumerate(ifOp.getResults())) {
      if (!isa<ListType>(result.getType())) {
        result.replaceAllUsesWith(rebuilt.getResult(position[k]));
        continue;
      }
      if (position[k] < 0)
        continue;
      unsigned ordinal = llvm::find(lists, k) - lists.begin();
      pairs[result] = {rebuilt.getResult(position[k]),
                       rebuilt.getResult(firstUsed + ordinal)};
    }
    dead.push_back(ifOp);
  }

  DenseMap<Value, std::pair<Value, Value>> pairs;
  DenseMap<Value, const ListPlan *> plans;
  SmallVector<Operation *> dead;
};

/// The type of a growing buffer: the element's, any size along the axis.
RankedTensorType bufferType(const ListPlan &plan) {
  SmallVector<int64_t> shape(plan.element.getShape());
  shape[plan.axis] = ShapedType::kDynamic;
  return RankedTensorType::get(shape, plan.element.getElementType());
}

/// An empty growing buffer of `sizes` (its capacity along the axis), of
/// type bufferType.
Value emptyBuffer(OpBuilder &b, Location loc, const ListPlan &plan,
                  ArrayRef<OpFoldResult> sizes) {
  Value empty =
      tensor::EmptyOp::create(b, loc, sizes, plan.element.getElementType());
  RankedTensorType type = bufferType(plan);
  return empty.getType() == type
             ? empty
             : tensor::CastOp::create(b, loc, type, empty).getResult();
}

/// Replaces `plan`'s join by the joined tensor: `result`, or for a
/// growing buffer its first `used` rows along the axis (the other sizes
/// were materialized before the loop).
void replaceJoin(const ListPlan &plan, Value result, Value used) {
  Operation *join = plan.join;
  OpBuilder at(join);
  if (used) {
    int64_t rank = plan.element.getRank();
    SmallVector<OpFoldResult> sizes(plan.sizes);
    sizes[plan.axis] = used;
    result = tensor::ExtractSliceOp::create(
        at, join->getLoc(), result,
        SmallVector<OpFoldResult>(rank, at.getIndexAttr(0)), sizes,
        SmallVector<OpFoldResult>(rank, at.getIndexAttr(1)));
  }
  Type joined = join->getResult(0).getType();
  if (result.getType() != joined)
    result = tensor::CastOp::create(at, join->getLoc(), joined, result);
  join->getResult(0).replaceAllUsesWith(result);
  join->erase();
}

/// Program order of two ops, for reporting the later of two uses.
bool before(Operation *a, Operation *b) {
  if (a->getBlock() == b->getBlock())
    return a->isBeforeInBlock(b);
  // Bring both up to ops of one block.
  for (Operation *x = a; x; x = x->getParentOp())
    for (Operation *y = b; y; y = y->getParentOp())
      if (x->getBlock() == y->getBlock())
        return x == y ? x == a : x->isBeforeInBlock(y);
  return a < b;
}

/// Python lists are mutable; the dialect's lists are values. A front end
/// that lost a mutation (a list appended to through an alias, `out = rows`,
/// or in a method it was passed to) leaves an append whose new list nobody
/// reads, or a list value read after a later version of it was made.
/// Both would silently drop elements: they are errors at the construct.
/// Whether `a` and `b` are in different arms of one scf.if: never both
/// run.
bool exclusive(Operation *a, Operation *b) {
  for (Operation *at = a; at; at = at->getParentOp()) {
    auto branch = dyn_cast_or_null<scf::IfOp>(at->getParentOp());
    if (!branch)
      continue;
    Region *mine = at->getParentRegion();
    Region *other = mine == &branch.getThenRegion() ? &branch.getElseRegion()
                                                    : &branch.getThenRegion();
    if (other->findAncestorOpInRegion(*b))
      return true;
  }
  return false;
}

LogicalResult checkListUses(Operation *root) {
  auto checkValue = [&](Value list) -> LogicalResult {
    if (!isa<ListType>(list.getType()) || list.use_empty() ||
        list.hasOneUse())
      return success();
    SmallVector<Operation *> users(list.getUsers());
    llvm::sort(users, before);
    // Two uses in the arms of one branch (an append in one, the list
    // given on unchanged by the other) are one use on each path.
    std::optional<std::pair<Operation *, Operation *>> clash;
    for (size_t i = 0; i < users.size() && !clash; ++i)
      for (size_t j = i + 1; j < users.size() && !clash; ++j)
        if (!exclusive(users[i], users[j]))
          clash = std::make_pair(users[i], users[j]);
    if (!clash)
      return success();
    // A join among them is a read of the list inside the loop that builds
    // it (the other use carries it on).
    for (Operation *user : {clash->first, clash->second}) {
      if (!isa<ListConcatOp, ListStackOp>(user))
        continue;
      Operation *loop = user->getParentOp();
      while (loop && !isa<ForOp, scf::WhileOp>(loop))
        loop = loop->getParentOp();
      if (loop && loop->isAncestor(list.getParentRegion()->getParentOp()))
        return user->emitError()
               << "the list is read inside the loop that builds it; "
                  "predict supports lists that are only appended to";
    }
    users = {clash->first, clash->second};
    InFlightDiagnostic diag =
        users[1]->emitError()
        << "reads a Python list that is also appended to elsewhere (the "
           "note shows where); predict's lists are values, so those "
           "appends are not seen here. This happens with an alias "
           "(`out = rows`) or a list passed to a method that appends to it: "
           "append to the list, and read it, by one name in the function "
           "that builds it";
    diag.attachNote(users[0]->getLoc()) << "the other use of the list";
    return diag;
  };
  WalkResult result = root->walk([&](Operation *op) {
    if (auto append = dyn_cast<ListAppendOp>(op); append && append->use_empty()) {
      append.emitError()
          << "the list this appends to is never read afterwards: predict's "
             "lists are values, and an append in a called method or through "
             "an alias (`out = rows`) does not change the list the caller "
             "reads; append to the list by the name it is read by, in the "
             "function that builds it (or return the appended value)";
      return WalkResult::interrupt();
    }
    // Lists carried by loops get the loop planner's own, more precise
    // errors (a read inside the loop, two joins after it).
    if (isa<ListEmptyOp, ListAppendOp>(op) &&
        failed(checkValue(op->getResult(0))))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// A list built by appends in straight-line code and joined once
/// (`rows = []; rows.append(a); rows.append(b); tf.concat(rows, 0)`) is the
/// concatenation of the appended values (stacking: each with a unit axis
/// added first).
LogicalResult lowerStraightLineJoin(Operation *join) {
  Value list = join->getOperand(0);
  SmallVector<Value> elements;
  SmallVector<Operation *> chain;
  while (auto append = list.getDefiningOp<ListAppendOp>()) {
    if (!append->hasOneUse() || append->getBlock() != join->getBlock())
      break;
    elements.push_back(append.getValue());
    chain.push_back(append);
    list = append.getList();
  }
  auto empty = list.getDefiningOp<ListEmptyOp>();
  if (empty && elements.empty())
    return join->emitError()
           << "joins a list that nothing is appended to, as predict sees "
              "the program: predict's lists are values, so an append "
              "through another name (an alias such as `out = rows`) or in a "
              "method the list was passed to is not seen here; append to "
              "the list by the name it is read by, in the function that "
              "builds it (TensorFlow rejects joining an empty list too)";
  if (!empty || !list.hasOneUse() || elements.empty() ||
      empty->getBlock() != join->getBlock())
    return join->emitError()
           << "predict turns a Python list into one tensor when it starts "
              "empty, is appended to in one loop (once per iteration) or in "
              "straight-line code, and is joined once by tf.concat/tf.stack; "
              "this list is not built that way (an empty list, or one built "
              "in several places)";
  std::reverse(elements.begin(), elements.end());
  OpBuilder b(join);
  Location loc = join->getLoc();
  int64_t axis;
  if (auto concat = dyn_cast<ListConcatOp>(join)) {
    axis = concat.getAxis();
  } else {
    auto stack = cast<ListStackOp>(join);
    auto element = cast<RankedTensorType>(elements.front().getType());
    int64_t rank = element.getRank();
    axis = *normalizeAxis(stack.getAxis(), rank + 1);
    for (Value &value : elements) {
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape.insert(shape.begin() + axis, 1);
      SmallVector<OpFoldResult> outputShape;
      for (int64_t d = 0; d < rank; ++d)
        outputShape.push_back(
            type.isDynamicDim(d)
                ? OpFoldResult(tensor::DimOp::create(b, loc, value, d).getResult())
                : OpFoldResult(b.getIndexAttr(type.getDimSize(d))));
      outputShape.insert(outputShape.begin() + axis, b.getIndexAttr(1));
      // Each source axis keeps its own group; the unit axis joins its
      // neighbour's.
      SmallVector<ReassociationIndices> groups;
      for (int64_t d = 0, r = 0; d < rank; ++d, ++r) {
        ReassociationIndices group{r};
        if (r == axis)
          group.push_back(++r);
        else if (d == rank - 1 && axis == rank)
          group.push_back(r + 1);
        groups.push_back(group);
      }
      if (rank == 0)
        return join->emitError() << "tf.stack of scalars is not supported";
      value = tensor::ExpandShapeOp::create(
          b, loc, RankedTensorType::get(shape, type.getElementType()), value,
          groups, outputShape);
    }
  }
  Value joined = ConcatenateOp::create(b, loc, join->getResult(0).getType(),
                                       elements, axis);
  join->getResult(0).replaceAllUsesWith(joined);
  join->erase();
  for (Operation *append : chain)
    append->erase();
  empty->erase();
  return success();
}

struct LowerLoops : predict::impl::PredictLowerLoopsBase<LowerLoops> {
  void runOnOperation() override {
    if (failed(checkListUses(getOperation())))
      return signalPassFailure();
    // Innermost loops first: an outer body then holds plain scf.for loops.
    SmallVector<Operation *> loops;
    getOperation().walk([&](Operation *op) {
      if (isa<ForOp, scf::WhileOp>(op))
        loops.push_back(op);
    });
    for (Operation *loop : loops) {
      auto forOp = dyn_cast<ForOp>(loop);
      if (failed(forOp ? lower(forOp) : lowerLists(cast<scf::WhileOp>(loop))))
        return signalPassFailure();
    }
    // Lists left are built outside loops.
    SmallVector<Operation *> joins;
    getOperation().walk([&](Operation *op) {
      if (isa<ListConcatOp, ListStackOp>(op))
        joins.push_back(op);
    });
    for (Operation *join : joins)
      if (failed(lowerStraightLineJoin(join)))
        return signalPassFailure();
    WalkResult left = getOperation().walk([&](Operation *op) {
      if (!isa<ListEmptyOp, ListAppendOp>(op))
        return WalkResult::advance();
      if (op->use_empty()) { // `rows = []` never used
        op->erase();
        return WalkResult::skip();
      }
      op->emitError() << "a Python list that is never joined by "
                         "tf.concat/tf.stack, or is built in a way predict "
                         "does not lower (see docs/Loops.md)";
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      return signalPassFailure();
  }

  /// The lists an scf.while carries (a `while` loop's appends: once per
  /// iteration, at the top level of its body) become growing buffers
  /// carried with the number of rows used, as tf.concat's of elements
  /// whose size may differ in a predict.for: the number of iterations is
  /// not known when the loop starts. The loop is made again with those
  /// operands (a list nobody joins is dropped) and one index per buffer.
  /// (Canonicalization may have made the before block's arguments differ
  /// from the after block's: a list is the before block's argument `i`,
  /// forwarded by the condition as the after block's argument and the
  /// loop's result `j`.)
  LogicalResult lowerLists(scf::WhileOp loop) {
    if (llvm::none_of(loop.getInits().getTypes(), llvm::IsaPred<ListType>))
      return success();
    Block *before = loop.getBeforeBody(), *after = loop.getAfterBody();
    scf::ConditionOp condition = loop.getConditionOp();
    scf::YieldOp yield = loop.getYieldOp();
    struct WhileList {
      unsigned init;       // among the inits, the before block's arguments
      ListPlan plan;       // plan.index: among the results
      unsigned used;       // if joined: its rows used among the new operands
      unsigned usedResult; // and among the new results
    };
    SmallVector<WhileList> lists;
    for (auto [i, type] : llvm::enumerate(loop.getInits().getTypes())) {
      if (!isa<ListType>(type))
        continue;
      BlockArgument tested = before->getArgument(i);
      for (Operation *user : tested.getUsers())
        if (user != condition)
          return user->emitError()
                 << "the list is read inside the loop that builds it; "
                    "predict supports lists that are only appended to";
      if (!tested.hasOneUse()) // dropped by canonicalization: not read
        return loop.emitError() << "a list carried by this `while` loop is "
                                   "not forwarded to its body once";
      unsigned j = tested.getUses().begin()->getOperandNumber() - 1;
      WhileList list{unsigned(i), ListPlan(), 0, 0};
      if (failed(planList(loop, j, loop.getInits()[i], after->getArgument(j),
                          yield.getResults()[i], /*tripsKnown=*/false,
                          list.plan)))
        return failure();
      lists.push_back(list);
    }
    auto byInit = [&](unsigned i) -> WhileList * {
      auto it = llvm::find_if(lists, [&](auto &l) { return l.init == i; });
      return it == lists.end() ? nullptr : &*it;
    };
    auto byResult = [&](unsigned j) -> WhileList * {
      auto it =
          llvm::find_if(lists, [&](auto &l) { return l.plan.index == j; });
      return it == lists.end() ? nullptr : &*it;
    };

    // The new loop's operands: each joined list's buffer (a first
    // capacity of 8 elements, its size along the axis dynamic), no unread
    // list, then the rows used.
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    SmallVector<Value> inits;
    SmallVector<int> newInit(loop.getInits().size(), -1);
    for (auto [i, init] : llvm::enumerate(loop.getInits())) {
      WhileList *list = byInit(i);
      if (list && !list->plan.join)
        continue;
      newInit[i] = inits.size();
      if (!list) {
        inits.push_back(init);
        continue;
      }
      const ListPlan &plan = list->plan;
      SmallVector<OpFoldResult> sizes(plan.sizes);
      int64_t each = plan.element.getDimSize(plan.axis);
      sizes[plan.axis] =
          b.getIndexAttr(8 * (ShapedType::isDynamic(each) ? 1 : each));
      inits.push_back(emptyBuffer(b, loc, plan, sizes));
    }
    for (WhileList &list : lists)
      if (list.plan.join) {
        list.used = inits.size();
        inits.push_back(constantIndex(b, loc, 0));
      }
    SmallVector<Type> types(ValueRange(inits).getTypes());
    // What the condition forwards: the same, lists as their buffers, then
    // each buffer's rows used.
    SmallVector<int> newResult(condition.getArgs().size(), -1);
    SmallVector<Type> resultTypes;
    for (auto [j, forwarded] : llvm::enumerate(condition.getArgs())) {
      WhileList *list = byResult(j);
      if (list && !list->plan.join)
        continue;
      newResult[j] = resultTypes.size();
      resultTypes.push_back(list ? bufferType(list->plan)
                                 : forwarded.getType());
    }
    for (WhileList &list : lists)
      if (list.plan.join) {
        list.usedResult = resultTypes.size();
        resultTypes.push_back(b.getIndexType());
      }
    auto rebuilt = scf::WhileOp::create(b, loc, resultTypes, inits);
    Block *newBefore = b.createBlock(&rebuilt.getBefore(), {}, types,
                                     SmallVector<Location>(types.size(), loc));
    Block *newAfter =
        b.createBlock(&rebuilt.getAfter(), {}, resultTypes,
                      SmallVector<Location>(resultTypes.size(), loc));

    // Before: the same test of the same values.
    for (auto [i, arg] : llvm::enumerate(before->getArguments()))
      if (newInit[i] >= 0 && !byInit(i))
        arg.replaceAllUsesWith(newBefore->getArgument(newInit[i]));
    newBefore->getOperations().splice(newBefore->end(),
                                      before->getOperations());
    {
      OpBuilder at(condition);
      SmallVector<Value> forwarded;
      for (auto [j, value] : llvm::enumerate(condition.getArgs())) {
        WhileList *list = byResult(j);
        if (newResult[j] < 0)
          continue;
        forwarded.push_back(list ? newBefore->getArgument(newInit[list->init])
                                 : value);
      }
      for (WhileList &list : lists)
        if (list.plan.join)
          forwarded.push_back(newBefore->getArgument(list.used));
      scf::ConditionOp::create(at, condition.getLoc(), condition.getCondition(),
                               forwarded);
      condition.erase();
    }

    // After: the appends into the buffers.
    GrowingLists growing;
    for (auto [j, arg] : llvm::enumerate(after->getArguments())) {
      WhileList *list = byResult(j);
      if (list && newResult[j] >= 0)
        growing.start(arg, &list->plan, newAfter->getArgument(newResult[j]),
                      newAfter->getArgument(list->usedResult));
      else if (list)
        growing.start(arg, &list->plan, Value(), Value());
      else if (newResult[j] >= 0)
        arg.replaceAllUsesWith(newAfter->getArgument(newResult[j]));
    }
    newAfter->getOperations().splice(newAfter->end(), after->getOperations());
    growing.rewrite(newAfter);
    {
      OpBuilder at(yield);
      SmallVector<Value> yielded;
      for (auto [i, value] : llvm::enumerate(yield.getResults())) {
        if (newInit[i] < 0)
          continue;
        yielded.push_back(byInit(i) ? growing.lookup(value).first : value);
      }
      for (WhileList &list : lists)
        if (list.plan.join)
          yielded.push_back(
              growing.lookup(yield.getResults()[list.init]).second);
      scf::YieldOp::create(at, yield.getLoc(), yielded);
      yield.erase();
    }
    growing.erase();

    // After the loop: the other results as they were, each join the rows
    // its buffer uses.
    for (auto [j, result] : llvm::enumerate(loop.getResults())) {
      if (newResult[j] < 0)
        continue;
      Value replacement = rebuilt.getResult(newResult[j]);
      WhileList *list = byResult(j);
      if (!list) {
        result.replaceAllUsesWith(replacement);
        continue;
      }
      const ListPlan &plan = list->plan;
      replaceJoin(plan, replacement, rebuilt.getResult(list->usedResult));
    }
    SmallVector<Operation *> empties;
    for (WhileList &list : lists)
      empties.push_back(loop.getInits()[list.init].getDefiningOp());
    loop.erase();
    for (Operation *empty : empties)
      if (empty->use_empty())
        empty->erase();
    return success();
  }

  LogicalResult lower(ForOp loop) {
    SmallVector<ListPlan> lists;
    for (auto [index, type] : llvm::enumerate(loop.getInitArgs().getTypes())) {
      if (!isa<ListType>(type))
        continue;
      ListPlan plan;
      auto yield = cast<YieldOp>(loop.getBodyBlock()->getTerminator());
      if (failed(planList(loop, index, loop.getInitArgs()[index],
                          loop.getRegionIterArgs()[index],
                          yield.getValues()[index], /*tripsKnown=*/true, plan)))
        return failure();
      lists.push_back(plan);
    }

    OpBuilder b(loop);
    Location loc = loop.getLoc();
    Value start = loop.getStart(), stop = loop.getStop(), step = loop.getStep();
    APInt stepValue;
    // `range(a, n)` with a constant a >= 0 runs over i itself; any other
    // range over k = 0 .. len - 1, i = start + k * step, so that no bound
    // arithmetic wraps (stop - start beyond 2**63, i + step past 2**63 - 1:
    // upstream folds and lowers scf.for in 64 bits).
    APInt startValue;
    bool direct = matchPattern(step, m_ConstantInt(&stepValue)) &&
                  stepValue.isOne() &&
                  matchPattern(start, m_ConstantInt(&startValue)) &&
                  !startValue.isNegative();
    if (!matchPattern(step, m_ConstantInt(&stepValue))) {
      // Python raises on range(..., 0); the call fails with a located
      // error (predict-lower-runtime-checks, docs/Runtime.md).
      Value nonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                            step, constantIndex(b, loc, 0));
      cf::AssertOp::create(b, loc, nonZero,
                           "range() step is 0 (Python raises ValueError: "
                           "range() arg 3 must not be zero)");
    }
    Value trips = pythonRangeLength(b, loc, start, stop, step);

    // One destination per joined list, at its final size.
    SmallVector<Value> inits(loop.getInitArgs());
    for (ListPlan &plan : lists) {
      if (!plan.join)
        continue; // never read: the list simply disappears
      SmallVector<OpFoldResult> sizes(plan.sizes);
      if (plan.growing) {
        // A first guess at the capacity: one row per iteration (x[i:i+1]).
        sizes[plan.axis] = trips;
        inits[plan.index] = emptyBuffer(b, loc, plan, sizes);
        continue;
      }
      Value along =
          plan.stack
              ? trips
              : arith::MulIOp::create(
                    b, loc, trips,
                    getValueOrCreateConstantIndexOp(b, loc, sizes[plan.axis]));
      if (plan.stack)
        sizes.insert(sizes.begin() + plan.axis, along);
      else
        sizes[plan.axis] = along;
      inits[plan.index] = tensor::EmptyOp::create(
          b, loc, sizes, plan.element.getElementType());
    }
    // Lists that nobody reads are not carried at all.
    SmallVector<unsigned> carried;
    SmallVector<Value> carriedInits;
    for (unsigned index = 0; index < inits.size(); ++index) {
      bool dropped = llvm::any_of(lists, [&](const ListPlan &p) {
        return p.index == index && !p.join;
      });
      if (!dropped) {
        carried.push_back(index);
        carriedInits.push_back(inits[index]);
      }
    }

    // Each growing buffer also carries the number of rows it uses.
    SmallVector<ListPlan *> growing;
    for (ListPlan &plan : lists)
      if (plan.growing && plan.join) {
        growing.push_back(&plan);
        carriedInits.push_back(constantIndex(b, loc, 0));
      }
    Value lb = direct ? start : constantIndex(b, loc, 0);
    Value ub = direct ? stop : trips;
    Value st = direct ? step : constantIndex(b, loc, 1);
    auto scfLoop = scf::ForOp::create(b, loc, lb, ub, st, carriedInits);
    Block *body = scfLoop.getBody();
    if (!body->empty())
      body->getTerminator()->erase();
    OpBuilder inner = OpBuilder::atBlockBegin(body);
    Value iv = scfLoop.getInductionVar();
    // i is Python's loop variable; n counts iterations from 0.
    Value i = direct ? iv
                     : arith::AddIOp::create(
                           inner, loc, start,
                           arith::MulIOp::create(inner, loc, iv, step));
    Value n = direct ? arith::DivSIOp::create(
                           inner, loc,
                           arith::SubIOp::create(inner, loc, iv, start), step)
                     : iv;

    Block *old = loop.getBodyBlock();
    old->getArgument(0).replaceAllUsesWith(i);
    // Growing buffers: each version of the list in the body mapped to a
    // buffer and its rows used (GrowingLists); the others replaced.
    GrowingLists growingLists;
    auto planOf = [&](unsigned index) -> ListPlan * {
      auto it = llvm::find_if(
          lists, [&](const ListPlan &p) { return p.index == index; });
      return it == lists.end() ? nullptr : &*it;
    };
    for (ListPlan &plan : lists)
      if (plan.growing && !plan.join)
        growingLists.start(old->getArgument(plan.index + 1), &plan, Value(),
                           Value());
    for (auto [k, index] : llvm::enumerate(carried)) {
      Value arg = old->getArgument(index + 1);
      ListPlan *plan = planOf(index);
      if (plan && plan->growing) {
        unsigned g = llvm::find(growing, plan) - growing.begin();
        growingLists.start(arg, plan, scfLoop.getRegionIterArgs()[k],
                           scfLoop.getRegionIterArgs()[carried.size() + g]);
        continue;
      }
      arg.replaceAllUsesWith(scfLoop.getRegionIterArgs()[k]);
    }
    body->getOperations().splice(body->end(), old->getOperations());
    growingLists.rewrite(body);

    for (ListPlan &plan : lists) {
      if (plan.growing)
        continue;
      OpBuilder at(plan.append);
      Value replacement;
      if (plan.join) {
        Value dest = plan.append.getList();
        int64_t rank = plan.element.getRank() + (plan.stack ? 1 : 0);
        SmallVector<OpFoldResult> offsets(rank, at.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes(plan.sizes),
            strides(rank, at.getIndexAttr(1));
        if (plan.stack) {
          sizes.insert(sizes.begin() + plan.axis, at.getIndexAttr(1));
          offsets[plan.axis] = n;
        } else {
          offsets[plan.axis] =
              arith::MulIOp::create(at, plan.append.getLoc(), n,
                                    getValueOrCreateConstantIndexOp(
                                        at, plan.append.getLoc(),
                                        plan.sizes[plan.axis]))
                  .getResult();
        }
        replacement = tensor::InsertSliceOp::create(
            at, plan.append.getLoc(), plan.append.getValue(), dest, offsets,
            sizes, strides);
      }
      // An unread list is not carried: its append's only user, the old
      // yield, is about to go.
      plan.append.getResult().replaceAllUsesWith(
          replacement ? replacement : plan.append.getList());
      plan.append.erase();
    }
    auto yield = cast<YieldOp>(body->getTerminator());
    OpBuilder atYield(yield);
    SmallVector<Value> yielded;
    for (unsigned index : carried) {
      Value value = yield.getValues()[index];
      ListPlan *plan = planOf(index);
      yielded.push_back(plan && plan->growing ? growingLists.lookup(value).first
                                              : value);
    }
    for (ListPlan *plan : growing)
      yielded.push_back(
          growingLists.lookup(yield.getValues()[plan->index]).second);
    scf::YieldOp::create(atYield, yield.getLoc(), yielded);
    yield.erase();
    growingLists.erase();

    for (auto [k, carriedIndex] : llvm::enumerate(carried)) {
      unsigned index = carriedIndex;
      Value result = scfLoop.getResult(k);
      auto plan = llvm::find_if(lists, [&](const ListPlan &p) {
        return p.index == index;
      });
      if (plan == lists.end()) {
        loop.getResult(index).replaceAllUsesWith(result);
        continue;
      }
      // A growing buffer's rows used, out of its capacity.
      Value used;
      if (plan->growing)
        used = scfLoop.getResult(
            carried.size() + (llvm::find(growing, &*plan) - growing.begin()));
      replaceJoin(*plan, result, used);
    }
    SmallVector<Value> emptyLists;
    for (ListPlan &plan : lists)
      emptyLists.push_back(loop.getInitArgs()[plan.index]);
    loop.erase();
    for (Value list : emptyLists)
      if (list.use_empty())
        list.getDefiningOp()->erase();
    return success();
  }
};
} // namespace
