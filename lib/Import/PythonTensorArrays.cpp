//===- PythonTensorArrays.cpp - tf.TensorArray in converted code ----------===//
//
// `ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)`, then
// `ta = ta.write(i, v)` in a `for` or `while` loop (under branches too),
// then `ta.stack()`, `ta.concat()`, `ta.read(k)`, `ta.size()`; or
// `ta = tf.TensorArray(...).unstack(x)` read in a loop.
//
// A TensorArray is the list a loop builds (PythonLoops.cpp): its elements
// are written in order, element k by the k-th write, which is what every
// TensorArray of inference code does. So each write is a
// `predict.list.append`, and `predict-lower-loops` turns the list into one
// tensor preallocated at the loop's trip count and written with
// `tensor.insert_slice` through the loop's iter_args (docs/Loops.md), or a
// buffer that doubles when the count is not known when the loop starts.
// In a `for` loop that writes once in every iteration, the index must be
// the iteration number (proven for `for i in range(n)`, so row loops stay
// batchable; else checked at run time); a loop that writes otherwise (a
// `while` loop, a write under a branch, a `break`) carries the count of
// elements written (`writtenName`), which the index must equal (checked at
// run time) and which is its size(). `size=` without `dynamic_size=True`
// bounds the index as TensorFlow does, and the elements written must fill
// it (docs/PythonSource.md, TensorArray).
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
/// The `predict.for` whose body the builder is in (through the `scf.if` of
/// a `break` flag), or null.
ForOp enclosingFor(OpBuilder &builder) {
  Block *block = builder.getInsertionBlock();
  for (Operation *op = block ? block->getParentOp() : nullptr; op;
       op = op->getParentOp()) {
    if (auto loop = dyn_cast<ForOp>(op))
      return loop;
    if (!isa<scf::IfOp>(op))
      return nullptr;
  }
  return nullptr;
}

const char *kMethods[] = {"write", "read", "stack", "concat", "size",
                          "unstack", "gather", "scatter", "split",
                          "close", "identity", "grad", "mark_used"};
} // namespace

bool ProgramBuilder::isTensorArrayUpdate(const json::Object &node) {
  const json::Object *func = node.getObject("func");
  if (kindOf(func) != "Attribute")
    return false;
  std::optional<llvm::StringRef> attr = func->getString("attr");
  if (attr != "write" && attr != "unstack" && attr != "scatter")
    return false;
  const json::Object *base = func->getObject("value");
  if (kindOf(base) == "Name") {
    auto it = scope->env.find(base->getString("id").value_or(""));
    return it != scope->env.end() && it->second.isList() &&
           it->second.list->tensorArray;
  }
  // A chain: `ta.write(0, a).write(1, b).write(2, c)`, on a new array too
  // (`tf.TensorArray(...).write(0, a)`).
  if (kindOf(base) == "Call") {
    const json::Object *inner = base->getObject("func");
    return (inner &&
            inner->getString("qualified") == "tensorflow.TensorArray") ||
           isTensorArrayUpdate(*base);
  }
  return base && base->getString("qualified") == "tensorflow.TensorArray";
}

FailureOr<PyValue> ProgramBuilder::makeTensorArray(const json::Object &node) {
  FailureOr<BoundCall> bound = bindArguments(
      *this, node,
      "TensorArray(dtype, size=None, dynamic_size=None, "
      "clear_after_read=None, tensor_array_name=None, handle=None, "
      "flow=None, infer_shape=True, element_shape=None, "
      "colocate_with_first_write_call=True, name=None)");
  if (failed(bound))
    return failure();
  auto info = std::make_shared<TensorArrayInfo>();
  info->node = &node;
  info->loopDepth = scope->loops.size();
  FailureOr<Type> dtype = bound->dtype("dtype");
  if (failed(dtype))
    return failure();
  info->dtype = *dtype;
  if (!info->dtype || !(info->dtype.isF32() || info->dtype.isInteger(1) ||
                        info->dtype.isInteger(32) ||
                        info->dtype.isInteger(64)))
    return bound->error("dtype", "must be tf.float32, tf.int32, tf.int64 or "
                                 "tf.bool (predict's tensor types)");
  if (bound->has("size")) {
    FailureOr<PyValue> size = expr(*(*bound)["size"]);
    if (failed(size))
      return failure();
    if (!size->isIndex())
      return bound->error("size", "must be an integer (a constant, "
                                  "len(x), x.shape[0] or tf.shape(x)[0])");
    if (std::optional<int64_t> n = knownIndexValue(size->value)) {
      if (*n < 0)
        return bound->error("size", "is " + llvm::Twine(*n) +
                                        ": a negative size (TensorFlow "
                                        "raises)");
    } else {
      // Known at run time (`tf.shape(x)[0] - 2`): checked there, as
      // TensorFlow's TensorListReserve refuses it (helper-138: size()
      // gave -1).
      Location at = loc(node);
      AssertOp::create(
          builder, at,
          arith::CmpIOp::create(builder, at, arith::CmpIPredicate::sge,
                                size->value,
                                arith::ConstantIndexOp::create(builder, at, 0)),
          builder.getStringAttr("'" + braces(source(node)) +
                                "' has the negative size {0} (TensorFlow "
                                "raises)"),
          ValueRange{size->value});
    }
    info->size = size->value;
  }
  if (bound->has("dynamic_size")) {
    FailureOr<bool> dynamic = bound->boolean("dynamic_size");
    if (failed(dynamic))
      return failure();
    info->dynamic = *dynamic;
  }
  if (!info->size && !info->dynamic)
    return bound->error("size", "is needed when dynamic_size is not True "
                                "(TensorFlow raises): give size=n, or "
                                "size=0, dynamic_size=True");
  for (llvm::StringRef hint : {"clear_after_read", "infer_shape",
                               "colocate_with_first_write_call"})
    if (bound->has(hint) && failed(bound->boolean(hint)))
      return failure();
  for (llvm::StringRef graphOnly : {"tensor_array_name", "handle", "flow"})
    if (bound->has(graphOnly))
      return bound->error(graphOnly, "is TensorFlow 1's graph plumbing and is "
                                     "not converted (leave it out)");
  if (const json::Object *shape = (*bound)["element_shape"];
      shape && bound->has("element_shape")) {
    std::optional<SmallVector<int64_t>> sizes = writtenShape(*shape);
    if (!sizes)
      return bound->error("element_shape",
                          "must be a list or tuple of sizes (ints known at "
                          "import, at least 0, or None for a size not "
                          "known), or tf.TensorShape of one");
    info->elementShape = *sizes;
  }
  auto list = std::make_shared<ListValue>();
  list->node = &node;
  list->owner = scope;
  list->ownerName = scope->function->getString("name").value_or("").str();
  list->tensorArray = info;
  return PyValue::of(list);
}

/// The calls `name.write(...)` under `v`, each of a chain
/// (`name.write(i, a).write(i + 1, b)`) too.
unsigned countWrites(const json::Value &v, llvm::StringRef name) {
  unsigned n = 0;
  if (const json::Array *items = v.getAsArray()) {
    for (const json::Value &item : *items)
      n += countWrites(item, name);
    return n;
  }
  const json::Object *o = v.getAsObject();
  if (!o)
    return 0;
  const json::Object *base = o;
  while (kindOf(base) == "Call") {
    const json::Object *func = base->getObject("func");
    if (kindOf(func) != "Attribute" || func->getString("attr") != "write")
      break;
    base = func->getObject("value");
  }
  if (base != o && kindOf(base) == "Name" && base->getString("id") == name)
    ++n;
  for (const auto &field : *o)
    n += countWrites(field.second, name);
  return n;
}

bool python::countsWrites(const json::Object &loop, llvm::StringRef name) {
  if (kindOf(loop) != "For")
    return true;
  const json::Array *body = loop.getArray("body");
  if (leavesIteration(body))
    return true;
  // Once in every iteration: one write, in a statement of the body itself.
  unsigned top = 0;
  for (const json::Value &s : arrayOr(body))
    if (const json::Object *st = s.getAsObject();
        st && llvm::is_contained({"Assign", "AugAssign", "AnnAssign", "Expr"},
                                 kindOf(*st)))
      top += countWrites(s, name);
  return !(top == 1 && countWrites(*loop.get("body"), name) == 1);
}

void ProgramBuilder::carryWriteCounts(const json::Object &stmt,
                                      SmallVectorImpl<std::string> &carried) {
  for (size_t k = 0, e = carried.size(); k < e; ++k) {
    std::string n = carried[k];
    auto it = scope->env.find(n);
    if (it == scope->env.end() || !it->second.isList())
      continue;
    const ListValue &list = *it->second.list;
    if (!list.tensorArray || list.tensorArray->source || list.ssa ||
        !countsWrites(stmt, n))
      continue; // an array written by an earlier loop: an error later
    std::string count = writtenName(n);
    scope->env[count] = PyValue::index(arith::ConstantIndexOp::create(
        builder, loc(stmt), list.elements.size()));
    carried.push_back(count);
  }
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::tensorArrayCall(const json::Object &node) {
  const json::Object *func = node.getObject("func");
  if (kindOf(func) != "Attribute")
    return std::nullopt;
  const json::Object *base = func->getObject("value");
  // Only a name bound to a TensorArray, or a call that makes one
  // (`tf.TensorArray(...).unstack(x)`, `ta.write(0, a).write(1, b)`), is
  // evaluated here: anything else is another call's business.
  bool isArray = false;
  if (kindOf(base) == "Name") {
    auto it = scope->env.find(base->getString("id").value_or(""));
    isArray = it != scope->env.end() && it->second.isList() &&
              it->second.list->tensorArray;
  } else if (kindOf(base) == "Call") {
    const json::Object *inner = base->getObject("func");
    isArray = (inner && inner->getString("qualified") ==
                            "tensorflow.TensorArray") ||
              isTensorArrayUpdate(*base);
  }
  if (!isArray)
    return std::nullopt;
  llvm::StringRef method = func->getString("attr").value_or("");
  FailureOr<PyValue> array = expr(*base);
  if (failed(array))
    return failure();
  if (!array->isList() || !array->list->tensorArray)
    return error(*base, "expected a tf.TensorArray here");
  const ListValue &list = *array->list;
  TensorArrayInfo &info = *list.tensorArray;
  std::string shown = source(*base) + "." + method.str();
  // The name the array is bound to (its write count's too), through a
  // chain of writes (`ta.write(0, a).write(1, b)`).
  const json::Object *root = base;
  while (kindOf(root) == "Call" &&
         kindOf(root->getObject("func")) == "Attribute" &&
         root->getObject("func")->getString("attr") == "write")
    root = root->getObject("func")->getObject("value");
  std::string name = kindOf(root) == "Name"
                         ? root->getString("id").value_or("").str()
                         : source(*base);
  Location at = loc(node);

  // TensorFlow's index is a scalar: an int or a 0-d integer tensor.
  auto isScalar = [](const PyValue &v) {
    auto type = v.isTensor() ? dyn_cast<RankedTensorType>(v.value.getType())
                             : RankedTensorType();
    return type && type.getRank() == 0;
  };
  auto bind = [&](llvm::StringRef params) {
    return bindArguments(*this, node, (method + "(" + params + ")").str());
  };
  // The loop that builds the list, when the builder is inside it.
  auto insideBuildingLoop = [&]() {
    return list.ssa && list.loop && llvm::is_contained(scope->loops, list.loop);
  };
  auto cmp = [&](arith::CmpIPredicate p, Value a, Value b) -> Value {
    return builder.createOrFold<arith::CmpIOp>(at, p, a, b);
  };
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(builder, at, v);
  };

  // The number of elements written, as an index; checked against `size=`
  // when it is fixed (predict needs every element written).
  auto count = [&]() -> FailureOr<Value> {
    if (info.source)
      return Value(DimOp::create(builder, at, info.source, 0));
    if (!list.ssa)
      return constant(list.elements.size());
    // A loop that counts its writes: the count it gave.
    if (list.loop && countsWrites(*list.loop, name)) {
      auto it = scope->env.find(writtenName(name));
      if (it == scope->env.end() || !it->second.isIndex())
        return error(node, "'" + shown +
                               "' of a tf.TensorArray that is not "
                               "bound to a name of the function is not "
                               "converted: write 'ta = ta.write(i, v)'");
      return it->second.value;
    }
    auto loop = list.ssa.getDefiningOp<ForOp>();
    if (!loop)
      return error(node, "'" + shown +
                             "': the loop that writes the "
                             "tf.TensorArray is not one predict counts: a bug "
                             "in predict's front end, please report it");
    // A trip count of range(start, stop, step): the loop writes once per
    // iteration.
    Value start = loop.getStart(), stop = loop.getStop(), step = loop.getStep();
    std::optional<int64_t> s = knownIndexValue(step);
    Value zero = constant(0);
    Value diff = arith::SubIOp::create(builder, at, stop, start);
    if (!s || *s < 0) {
      // ceil((start - stop) / -step) for a negative step.
      Value negDiff = arith::SubIOp::create(builder, at, start, stop);
      Value negStep = arith::SubIOp::create(builder, at, zero, step);
      Value down = arith::CeilDivSIOp::create(builder, at, negDiff, negStep);
      Value up = arith::CeilDivSIOp::create(builder, at, diff, step);
      Value n = s ? down
                  : arith::SelectOp::create(
                        builder, at, cmp(arith::CmpIPredicate::sgt, step, zero),
                        up, down);
      return Value(arith::MaxSIOp::create(builder, at, n, zero));
    }
    Value n = *s == 1 ? diff
                      : Value(arith::CeilDivSIOp::create(builder, at, diff,
                                                         step));
    return Value(arith::MaxSIOp::create(builder, at, n, zero));
  };
  auto checkFilled = [&]() -> LogicalResult {
    // A dynamic size is the count reserved, filled too (TensorFlow would
    // give zeros for elements not written).
    if (!info.size || knownIndexValue(info.size) == 0 || info.source ||
        info.sizeChecked.contains(list.ssa))
      return success();
    if (!list.ssa) {
      std::optional<int64_t> n = knownIndexValue(info.size);
      if (n && *n <= static_cast<int64_t>(list.elements.size()))
        return success();
    } else if (auto loop = list.ssa.getDefiningOp<ForOp>();
               loop && loop.getStop() == info.size &&
               knownIndexValue(loop.getStart()) == 0 &&
               knownIndexValue(loop.getStep()) == 1 && list.loop &&
               !countsWrites(*list.loop, name)) {
      // `for i in range(n)` filling a TensorArray of size n.
      info.sizeChecked.insert(list.ssa);
      return success();
    }
    FailureOr<Value> n = count();
    if (failed(n))
      return failure();
    AssertOp::create(builder, at, cmp(arith::CmpIPredicate::sge, *n, info.size),
                     builder.getStringAttr(
                         "'" + braces(source(*info.node)) +
                         "' has size {0} "
                         "but {1} elements were written when '" +
                         braces(shown) +
                         "()' reads it: predict needs every "
                         "element written (give the size written, or size=0 "
                         "with dynamic_size=True)"),
                     ValueRange{info.size, *n});
    info.sizeChecked.insert(list.ssa);
    return success();
  };
  // The rows of stacked elements joined, as concat() joins them: the
  // first two axes as one.
  auto collapseRows = [&](Value all) -> FailureOr<Value> {
    auto type = dyn_cast<RankedTensorType>(all.getType());
    if (!type || type.getRank() < 2)
      return error(node, "'" + shown +
                             "()' of scalar elements (TensorFlow "
                             "raises: concat needs elements of rank 1 or more; "
                             "stack() joins scalars)");
    SmallVector<ReassociationIndices> groups{{0, 1}};
    for (int64_t d = 2; d < type.getRank(); ++d)
      groups.push_back({d});
    return Value(tensor::CollapseShapeOp::create(builder, at, all, groups));
  };
  // A loop's list is joined right after the loop that builds it, so that
  // every later read (in another loop too) shares the one join
  // predict-lower-loops makes.
  auto placeJoin = [&]() {
    if (Operation *def = list.ssa ? list.ssa.getDefiningOp() : nullptr)
      builder.setInsertionPointAfter(def);
  };
  // stack() of the elements (cached per version).
  auto stacked = [&]() -> FailureOr<Value> {
    if (info.source)
      return info.source;
    if (insideBuildingLoop())
      return error(node, "'" + shown + "' reads a tf.TensorArray inside the "
                         "loop that writes it (line " +
                         llvm::Twine(line(*list.loop)) +
                         "): not converted yet; carry the value you need in "
                         "a variable of the loop");
    Value cached = info.stacked.lookup(list.ssa);
    Block *here = builder.getInsertionBlock();
    if (cached && list.ssa &&
        cached.getParentRegion()->isAncestor(here->getParent()))
      return cached;
    if (!list.ssa && list.elements.empty())
      return error(node, "'" + shown + "' of a tf.TensorArray nothing was "
                         "written to is not converted (its element shape "
                         "is not known to predict)");
    OpBuilder::InsertionGuard guard(builder);
    placeJoin();
    if (failed(checkFilled()))
      return failure();
    // A loop's list is joined once (predict-lower-loops): after concat(),
    // the stack is its rows split again, by the elements' first size.
    if (Value rows = list.ssa ? info.concatenated.lookup(list.ssa) : Value();
        rows && rows.getParentRegion()->isAncestor(here->getParent())) {
      builder.setInsertionPointAfterValue(rows);
      auto element = dyn_cast<RankedTensorType>(list.slot->element);
      auto joined = cast<RankedTensorType>(rows.getType());
      if (!element || element.getRank() == 0 || element.getDimSize(0) <= 0)
        return error(node, "'" + shown + "()' after '" + source(*base) +
                               ".concat()' of elements whose first size is not "
                               "known at import (" +
                               (element ? typeText(element) : "unranked") +
                               "): call " + source(*base) + ".stack() first");
      SmallVector<int64_t> shape(element.getShape());
      shape.insert(shape.begin(),
                   ShapedType::isDynamic(joined.getDimSize(0))
                       ? ShapedType::kDynamic
                       : joined.getDimSize(0) / element.getDimSize(0));
      SmallVector<ReassociationIndices> groups{{0, 1}};
      for (int64_t d = 2; d <= element.getRank(); ++d)
        groups.push_back({d});
      Value all = tensor::ExpandShapeOp::create(
          builder, at, RankedTensorType::get(shape, element.getElementType()),
          rows, groups);
      info.stacked[list.ssa] = all;
      return all;
    }
    FailureOr<Value> joined = joinList(list, 0, /*concat=*/false, node);
    if (succeeded(joined) && info.descendingLoop)
      joined = typed(ReverseOp::create(builder, at, joined->getType(), *joined,
                                       builder.getDenseI64ArrayAttr({0})));
    if (succeeded(joined) && list.ssa)
      info.stacked[list.ssa] = *joined;
    return joined;
  };

  if (method == "write") {
    FailureOr<BoundCall> bound = bind("index, value, name=None");
    if (failed(bound))
      return failure();
    if (info.source)
      return error(node, "'" + shown + "' writes to a tf.TensorArray made by "
                         "unstack(): not converted; write to a new "
                         "TensorArray");
    FailureOr<PyValue> index = expr(*(*bound)["index"]);
    if (failed(index))
      return failure();
    // A Python integer, or an int32/int64 scalar tensor (`i =
    // tf.constant(0)` counting a `while` loop's iterations).
    if (!index->isIndex() && !(isScalar(*index) && scalarToInteger(*index, at)))
      return bound->error("index", "must be an integer (the loop's counter)");
    // A Python integer is the array's integer dtype, as TensorFlow converts
    // it (a float array's float32).
    FailureOr<Value> value = failure();
    if (info.dtype.isInteger(32) || info.dtype.isInteger(64)) {
      const json::Object &valueNode = bound->at("value");
      FailureOr<PyValue> v = expr(valueNode);
      if (failed(v))
        return failure();
      value = v->isIndex() ? integerScalar(valueNode, *v, info.dtype,
                                           "the TensorArray holds int32")
                           : tensorOf(*v, valueNode);
    } else {
      value = bound->tensor("value");
    }
    if (failed(value))
      return failure();
    auto type = dyn_cast<TensorType>(value->getType());
    if (!type || type.getElementType() != info.dtype)
      return bound->error("value", "is " + typeText(value->getType()) +
                                       " but the TensorArray holds " +
                                       dtypeName(info.dtype) +
                                       " (TensorFlow raises; tf.cast it)");
    if (info.elementShape) {
      auto ranked = dyn_cast<RankedTensorType>(type);
      if (!ranked || !fitsShape(ranked, *info.elementShape))
        return bound->error("value", "is " + typeText(type) +
                                         ", not of the TensorArray's "
                                         "element_shape (TensorFlow raises)");
    }
    // A negative index is an error, as TensorFlow raises.
    std::optional<int64_t> k = knownIndexValue(index->value);
    if (k && *k < 0)
      return bound->error("index", "is " + llvm::Twine(*k) +
                                       ": a negative index (TensorFlow "
                                       "raises)");
    // Fixed size: the index must be below it, as TensorFlow checks; at
    // import when both are known, else at run time unless `inBounds`.
    auto checkSize = [&](bool inBounds) -> LogicalResult {
      if (info.dynamic)
        return success();
      std::optional<int64_t> n = knownIndexValue(info.size);
      if (k && n && *k >= *n)
        return bound->error("index", "is " + llvm::Twine(*k) +
                                         " but the TensorArray has size " +
                                         llvm::Twine(*n) +
                                         " and dynamic_size is not True "
                                         "(TensorFlow raises)");
      if (!inBounds && !(k && n))
        AssertOp::create(
            builder, at,
            cmp(arith::CmpIPredicate::slt, index->value, info.size),
            builder.getStringAttr(
                "'" + braces(source(node)) +
                "' writes index {0} of a "
                "TensorArray of size {1} whose dynamic_size is not True "
                "(TensorFlow raises)"),
            ValueRange{index->value, info.size});
      return success();
    };
    if (!list.ssa && scope->loops.size() > info.loopDepth)
      return error(node, "'" + shown + "' in a loop must be assigned back to "
                         "the TensorArray's name ('" + source(*base) +
                         " = " + source(node) + "'): TensorFlow's write "
                         "returns the written TensorArray");
    if (!list.ssa) {
      // Straight-line writes: element 0, then 1, ...
      int64_t next = list.elements.size();
      if (!k || *k != next)
        return bound->error(
            "index", "must be " + llvm::Twine(next) +
                         " here: outside loops a tf.TensorArray is written "
                         "in order, with constant indices 0, 1, ...");
      if (failed(checkSize(/*inBounds=*/false)))
        return failure();
    } else if (list.loop && countsWrites(*list.loop, name)) {
      // A `while` loop, a branch, a loop that may stop early: the index
      // must be the count of elements written before.
      auto it = scope->env.find(writtenName(name));
      if (scope->loops.size() != list.depth || it == scope->env.end() ||
          !it->second.isIndex())
        return error(node, "'" + shown +
                               "' writes outside the loop that "
                               "writes the TensorArray (line " +
                               llvm::Twine(line(*list.loop)) +
                               "), or to a TensorArray not bound to a name: "
                               "write 'ta = ta.write(i, v)' in that loop's "
                               "body");
      Value written = it->second.value;
      std::optional<int64_t> w = knownIndexValue(written);
      if (k && w && *k != *w)
        return bound->error("index", "is " + llvm::Twine(*k) + " but " +
                                         llvm::Twine(*w) +
                                         " elements were written before: "
                                         "predict converts a TensorArray "
                                         "written in order");
      if (!k || !w)
        AssertOp::create(
            builder, at, cmp(arith::CmpIPredicate::eq, index->value, written),
            builder.getStringAttr(
                "'" + braces(source(node)) +
                "' writes index {0} after {1} "
                "elements were written: predict converts a TensorArray "
                "written in order, element k by the k-th write (count the "
                "writes: `k = 0` before the loop, `k += 1` after each)"),
            ValueRange{index->value, written});
      if (failed(checkSize(/*inBounds=*/false)))
        return failure();
      scope->env[writtenName(name)] = PyValue::index(
          arith::AddIOp::create(builder, at, written, constant(1)));
    } else {
      ForOp loop = enclosingFor(builder);
      if (!loop || scope->loops.size() != list.depth)
        return error(node, "'" + shown + "' writes outside the loop that "
                           "writes the TensorArray (line " +
                           llvm::Twine(line(*list.loop)) +
                           "): a TensorArray is written once per iteration "
                           "of one `for` loop");
      // Element k is written in iteration k: the index must be the
      // iteration number (i - start) / step.
      Value i = loop.getInductionVar();
      bool proven = index->value == i && knownIndexValue(loop.getStart()) == 0 &&
                    knownIndexValue(loop.getStep()) == 1;
      // Or the elements are written last to first, down to 0 (`for i in
      // reversed(range(n))`, a backward recurrence; helper-134): the
      // array empty before the loop, element k is written in iteration
      // start - k, and the array is the list the loop builds reversed.
      auto arg = dyn_cast<BlockArgument>(list.ssa);
      auto carried = loop.getRegionIterArgs();
      auto position = arg ? llvm::find(carried, arg) : carried.end();
      bool descending =
          index->value == i && knownIndexValue(loop.getStep()) == -1 &&
          knownIndexValue(loop.getStop()) == -1 && position != carried.end() &&
          loop.getInitArgs()[position - carried.begin()]
              .getDefiningOp<ListEmptyOp>();
      // (The one loop that writes the array: a write outside it is an
      // error above.)
      if (descending) {
        info.descendingLoop = list.loop;
        proven = true;
      }
      if (!proven) {
        Value iteration = arith::DivSIOp::create(
            builder, at,
            arith::SubIOp::create(builder, at, i, loop.getStart()),
            loop.getStep());
        AssertOp::create(
            builder, at,
            cmp(arith::CmpIPredicate::eq, index->value, iteration),
            builder.getStringAttr(
                "'" + braces(source(node)) + "' writes index {0} in "
                "iteration {1} of the loop: predict converts a TensorArray "
                "written in order, element k in iteration k (write "
                "ta.write(i, v) with i counting from 0)"),
            ValueRange{index->value, iteration});
      }
      if (failed(checkSize((index->value == i || proven) &&
                           loop.getStop() == info.size &&
                           knownIndexValue(loop.getStart()) >= 0 &&
                           knownIndexValue(loop.getStep()) >= 1)))
        return failure();
    }
    FailureOr<std::shared_ptr<ListValue>> next =
        appendTo(list, *value, node, name);
    if (failed(next))
      return failure();
    return PyValue::of(*next);
  }
  if (method == "unstack") {
    FailureOr<BoundCall> bound = bind("value, name=None");
    if (failed(bound))
      return failure();
    if (list.ssa || !list.elements.empty() || info.source)
      return error(node, "'" + shown + "' of a tf.TensorArray already "
                         "written: unstack() into a new TensorArray");
    FailureOr<Value> value = bound->tensor("value");
    if (failed(value))
      return failure();
    auto type = dyn_cast<RankedTensorType>(value->getType());
    if (!type || type.getRank() == 0 || type.getElementType() != info.dtype)
      return bound->error("value", "is " + typeText(value->getType()) +
                                       ": unstack takes a tensor of rank 1 "
                                       "or more of the TensorArray's dtype, " +
                                       dtypeName(info.dtype));
    if (!info.dynamic)
      if (std::optional<int64_t> n = knownIndexValue(info.size))
        if (!type.isDynamicDim(0) && type.getDimSize(0) > *n)
          return bound->error("value", "has " +
                                           llvm::Twine(type.getDimSize(0)) +
                                           " rows, more than the "
                                           "TensorArray's size " +
                                           llvm::Twine(*n) +
                                           " (TensorFlow raises)");
    auto next = std::make_shared<ListValue>(list);
    next->tensorArray = std::make_shared<TensorArrayInfo>(info);
    next->tensorArray->source = *value;
    // Its length is the rows': a fixed size is the rows' count from now on
    // only if it was that count.
    next->tensorArray->dynamic = true;
    return PyValue::of(next);
  }
  if (method == "stack") {
    FailureOr<BoundCall> bound = bind("name=None");
    if (failed(bound))
      return failure();
    FailureOr<Value> result = stacked();
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (method == "concat") {
    FailureOr<BoundCall> bound = bind("name=None");
    if (failed(bound))
      return failure();
    if (info.source) {
      // The rows of x joined: x with its first two axes as one.
      FailureOr<Value> rows = collapseRows(info.source);
      if (failed(rows))
        return failure();
      return PyValue::tensor(*rows);
    }
    if (insideBuildingLoop()) {
      (void)stacked(); // the error of a read in the writing loop
      return FailureOr<PyValue>(failure());
    }
    Value cached = info.concatenated.lookup(list.ssa);
    if (cached && list.ssa &&
        cached.getParentRegion()->isAncestor(
            builder.getInsertionBlock()->getParent()))
      return PyValue::tensor(cached);
    if (!list.ssa && list.elements.empty())
      return error(node, "'" + shown + "' of a tf.TensorArray nothing was "
                         "written to is not converted (its element shape "
                         "is not known to predict)");
    OpBuilder::InsertionGuard guard(builder);
    placeJoin();
    // A loop's list is joined once: stack() made before gives the rows.
    if (Value all = list.ssa ? info.stacked.lookup(list.ssa) : Value();
        all && all.getParentRegion()->isAncestor(
                   builder.getInsertionBlock()->getParent())) {
      builder.setInsertionPointAfterValue(all);
      FailureOr<Value> rows = collapseRows(all);
      if (failed(rows))
        return failure();
      info.concatenated[list.ssa] = *rows;
      return PyValue::tensor(*rows);
    }
    if (failed(checkFilled()))
      return failure();
    // Written last to first: the rows of the elements stacked in order.
    if (info.descendingLoop) {
      FailureOr<Value> all = stacked();
      FailureOr<Value> rows = failed(all) ? all : collapseRows(*all);
      if (succeeded(rows) && list.ssa)
        info.concatenated[list.ssa] = *rows;
      return failed(rows) ? FailureOr<PyValue>(failure())
                          : FailureOr<PyValue>(PyValue::tensor(*rows));
    }
    FailureOr<Value> joined = joinList(list, 0, /*concat=*/true, node);
    if (failed(joined))
      return failure();
    if (list.ssa)
      info.concatenated[list.ssa] = *joined;
    return PyValue::tensor(*joined);
  }
  if (method == "size") {
    FailureOr<BoundCall> bound = bind("name=None");
    if (failed(bound))
      return failure();
    // (TensorFlow's size() is an int32 tensor.)
    // Fixed size: TensorFlow's answer is the size (the reads check that
    // the elements written fill it); a dynamic one grows from its size.
    if (!info.dynamic && info.size)
      return PyValue::int32Index(info.size);
    FailureOr<Value> n = failure();
    if (insideBuildingLoop()) {
      // In the loop that writes it (`ta = ta.write(ta.size(), v)`, the
      // append idiom; helper-140): the elements written so far, the count
      // the loop carries, or the iteration number of a `for` loop from 0
      // by 1 writing once an iteration.
      ForOp loop = enclosingFor(builder);
      auto it = scope->env.find(writtenName(name));
      if (countsWrites(*list.loop, name) && it != scope->env.end() &&
          it->second.isIndex())
        n = it->second.value;
      else if (!countsWrites(*list.loop, name) && loop &&
               scope->loops.size() == list.depth &&
               knownIndexValue(loop.getStart()) == 0 &&
               knownIndexValue(loop.getStep()) == 1)
        n = loop.getInductionVar();
      else
        return error(node, "'" + shown +
                               "()' here, inside the loop that "
                               "writes the tf.TensorArray, is not converted: "
                               "count the writes (`k = 0` before the loop, "
                               "`k += 1` after each) and read k");
    } else {
      n = count();
    }
    if (failed(n))
      return failure();
    if (info.size && knownIndexValue(info.size) != 0)
      return PyValue::int32Index(
          arith::MaxSIOp::create(builder, at, *n, info.size));
    return PyValue::int32Index(*n);
  }
  if (method == "read") {
    FailureOr<BoundCall> bound = bind("index, name=None");
    if (failed(bound))
      return failure();
    const json::Object *indexNode = (*bound)["index"];
    FailureOr<PyValue> index = expr(*indexNode);
    if (failed(index))
      return failure();
    if (!index->isIndex() && !(isScalar(*index) && scalarToInteger(*index, at)))
      return bound->error("index", "must be an integer");
    FailureOr<Value> all = stacked();
    if (failed(all))
      return failure();
    // TensorFlow's index does not count from the end.
    if (std::optional<int64_t> k = knownIndexValue(index->value)) {
      if (*k < 0)
        return bound->error("index", "is " + llvm::Twine(*k) +
                                         ": a negative index (TensorFlow "
                                         "raises)");
    } else {
      AssertOp::create(builder, at,
                       cmp(arith::CmpIPredicate::sge, index->value,
                           constant(0)),
                       builder.getStringAttr("'" + braces(source(node)) +
                                             "' reads index {0} (TensorFlow "
                                             "raises for a negative index)"),
                       ValueRange{index->value});
    }
    return indexing(node, *all, {indexNode});
  }
  if (method == "gather") {
    // ta.gather(indices) is tf.gather(ta.stack(), indices): the elements
    // at `indices`, stacked (out of range is tf.gather's run-time error).
    FailureOr<BoundCall> bound = bind("indices, element_shape=None, name=None");
    if (failed(bound))
      return failure();
    FailureOr<Value> all = stacked();
    if (failed(all))
      return failure();
    std::string id = "*gathered@" + std::to_string(gatheredArrays++);
    scope->env[id] = PyValue::tensor(*all);
    FailureOr<PyValue> result = expr(synthesize(tfCallNode(
        "gather",
        json::Array{located(json::Object{{"node", "Name"}, {"id", id}}, node),
                    json::Object(bound->at("indices"))},
        json::Array(), node)));
    scope->env.erase(id);
    return result;
  }
  if (llvm::is_contained(kMethods, method))
    return error(node, "'" + shown +
                           "' is not converted yet: predict "
                           "converts write, read, stack, concat, size, gather "
                           "and unstack of a tf.TensorArray");
  return error(node, "tf.TensorArray has no method '" + method.str() + "'");
}
