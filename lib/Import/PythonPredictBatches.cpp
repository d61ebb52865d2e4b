//===- PythonPredictBatches.cpp - Keras's model.predict, batch by batch ---===//
//
// Keras's Model.predict(x, batch_size=None) does not run the model on x:
// it cuts x into batches of batch_size consecutive rows (32 when not
// given), runs predict_step (the model's own, or Keras's, which calls the
// model with training=False) on each, and concatenates each output of the
// batches along axis 0 (keras.Model.predict; Keras 2's data_adapter and
// Keras 3's epoch iterator both batch so). When predict_step or call mixes
// rows (`x - tf.reduce_mean(x, 0)`, a batch-wide maximum), the answer
// depends on batch_size: predict converts it as that loop,
// `for i in range(0, x.shape[0], batch_size)` on `x[i:i+batch_size]`, and
// predict-batch-loops computes the loop on the whole input at once when
// each batch's rows are computed from those rows alone (the usual model),
// so that the loop costs nothing there.
//
//===----------------------------------------------------------------------===//

#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/ScopeExit.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

/// Keras's default batch_size for arrays (keras.Model.predict).
static constexpr int64_t kKerasPredictBatchSize = 32;

FailureOr<int64_t> ProgramBuilder::predictBatchSize(const json::Object &node) {
  // predict(x, batch_size=None, ...): the second positional argument or
  // the keyword.
  const json::Object *given = nullptr;
  json::Array args = arrayOr(node.getArray("args"));
  if (args.size() > 1)
    given = args[1].getAsObject();
  for (const json::Value &k : arrayOr(node.getArray("keywords")))
    if (const json::Object *kw = k.getAsObject())
      if (kw->getString("arg") == "batch_size")
        given = kw->getObject("value");
  if (!given)
    return kKerasPredictBatchSize;
  const json::Value *constant =
      kindOf(*given) == "Constant" ? given->get("value") : nullptr;
  if (const json::Value *known = knownValue(*given))
    constant = known;
  if (constant && constant->kind() == json::Value::Null)
    return kKerasPredictBatchSize;
  // Any integer known at import: a literal, a constant, a local, `BS // 2`.
  FailureOr<PyValue> value = expr(*given);
  if (failed(value))
    return failure();
  // A numpy integer (`np.int32(3)`), as Python's index of it.
  if (value->isTensor())
    scalarToInteger(*value, loc(*given));
  std::optional<int64_t> size =
      value->isIndex() ? knownIndexValue(value->value) : std::nullopt;
  // (The value, which a wrapper's expression may hide: `batch_size=2 if
  // batch_size is None else batch_size` given 0 by its caller, helper-130.)
  if (!size || *size < 1)
    return error(*given, "'batch_size=" + source(*given) + "'" +
                             (size && source(*given) != std::to_string(*size)
                                  ? " is " + std::to_string(*size)
                                  : "") +
                             ": Keras's predict runs the model on batches "
                             "of batch_size rows, a positive integer known "
                             "at import (or None for 32)");
  return *size;
}

FailureOr<SmallVector<PyValue>> ProgramBuilder::predictInBatches(
    const json::Object &node, ModelInputs &in,
    llvm::function_ref<FailureOr<SmallVector<PyValue>>()> step) {
  FailureOr<int64_t> batchSize = predictBatchSize(node);
  if (failed(batchSize))
    return failure();
  Location at = loc(node);
  // Inputs of one static number of rows that fit in one batch (none
  // included) are that batch: no loop.
  auto staticRows = [](Value v) -> std::optional<int64_t> {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() == 0 || type.isDynamicDim(0))
      return std::nullopt;
    return type.getDimSize(0);
  };
  if (in.values.empty() || llvm::all_of(in.values, [&](Value v) {
        std::optional<int64_t> n = staticRows(v);
        return n && n == staticRows(in.values.front()) && *n <= *batchSize;
      }))
    return step();
  for (Value input : in.values) {
    auto type = dyn_cast<RankedTensorType>(input.getType());
    if (!type || type.getRank() == 0)
      return error(node, "Keras's predict cuts its input into batches of "
                         "rows, along axis 0; this input has no axis 0 (" +
                             typeText(input.getType()) +
                             "): give it a batch axis, or call the model "
                             "(model(x)), which takes the input whole");
  }
  // The batches run over the first input's rows; Keras requires every
  // input to have as many ("Data cardinality is ambiguous", a ValueError):
  // a run-time check, which also lets predict-batch-loops slice the others
  // as rows of the same batch.
  Value zero = arith::ConstantIndexOp::create(builder, at, 0);
  Value rows = DimOp::create(builder, at, in.values.front(), 0);
  for (auto [index, input] : llvm::enumerate(in.values)) {
    if (index == 0)
      continue;
    Value own = DimOp::create(builder, at, input, 0);
    Value same =
        arith::CmpIOp::create(builder, at, arith::CmpIPredicate::eq, rows, own);
    AssertOp::create(
        builder, at, same,
        builder.getStringAttr(
            "Keras's predict takes inputs of the same number of rows (Data "
            "cardinality is ambiguous): input #0 has {0}, input #" +
            std::to_string(index) + " {1}"),
        ValueRange{rows, own});
  }
  Value size = arith::ConstantIndexOp::create(builder, at, *batchSize);
  // The loop is made first without the lists it carries, whose element
  // types are the step's results; then again with them around its body.
  auto draft = ForOp::create(builder, at, zero, rows, size, ValueRange());
  SmallVector<Value> results;
  bool sequence = false;
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(draft.getBodyBlock()->getTerminator());
    Value start = draft.getInductionVar();
    Value stop = arith::AddIOp::create(builder, at, start, size);
    SmallVector<Value> whole = in.values;
    // Each batch is typed with a size known only at run time along axis 0,
    // even of 1 row (batch_size=1, which the slice's rule would type 1):
    // the method is converted once for every batch, and for the model's
    // other calls (helper-128: batch_size=1 made it "used with another
    // input shape").
    for (Value &input : in.values) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[0] = ShapedType::kDynamic;
      input = SliceOp::create(builder, at, type.clone(shape), input, start,
                              stop, builder.getI64IntegerAttr(0));
    }
    FailureOr<SmallVector<PyValue>> outputs = step();
    in.values = whole;
    if (failed(outputs))
      return failure();
    // A method returning a list of one (`return [y]`) gives it as a list:
    // its tensor is joined, and the list made again around the result.
    if (outputs->size() == 1 && outputs->front().isKnownList()) {
      sequence = true;
      outputs = listItems(*outputs->front().list);
    }
    for (auto [index, output] : llvm::enumerate(*outputs)) {
      auto type = dyn_cast<TensorType>(
          output.isTensor() ? output.value.getType() : Type());
      if (!type || (type.hasRank() && type.getRank() == 0))
        return error(node, "Keras's predict concatenates each output of its "
                           "batches along axis 0, and output #" +
                               std::to_string(index) + " of the model's " +
                               "predict_step is " +
                               (type ? "a scalar" : "not a tensor") +
                               ": return tensors with a batch axis, or call "
                               "the model (model(x)) or predict_on_batch, "
                               "which run it once on the whole input");
      results.push_back(output.value);
    }
  }
  SmallVector<Value> empties;
  for (Value result : results)
    empties.push_back(ListEmptyOp::create(
        builder, at,
        ListType::get(context, cast<TensorType>(result.getType()))));
  auto loop = ForOp::create(builder, at, zero, rows, size, empties);
  Block *body = loop.getBodyBlock();
  Block *drafted = draft.getBodyBlock();
  drafted->getTerminator()->erase();
  drafted->getArgument(0).replaceAllUsesWith(loop.getInductionVar());
  body->getOperations().splice(body->end(), drafted->getOperations());
  draft.erase();
  SmallVector<PyValue> joined;
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(body);
    SmallVector<Value> next;
    // (Named for the lowering's message on outputs whose sizes may differ
    // from one batch to the next.)
    Location named = NameLoc::get(builder.getStringAttr("model.predict"), at);
    for (auto [list, result] : llvm::zip(loop.getRegionIterArgs(), results))
      next.push_back(
          ListAppendOp::create(builder, named, list.getType(), list, result));
    YieldOp::create(builder, at, next);
  }
  for (auto [list, result] : llvm::zip(loop.getResults(), results)) {
    FailureOr<Value> concat = typed(ListConcatOp::create(
        builder, at, UnrankedTensorType::get(getElementTypeOrSelf(result)),
        list, builder.getI64IntegerAttr(0)));
    if (failed(concat))
      return failure();
    joined.push_back(PyValue::tensor(*concat));
  }
  if (sequence)
    return SmallVector<PyValue>{knownList(
        node, SmallVector<Value>{llvm::map_range(
                  joined, [](const PyValue &v) { return v.value; })})};
  return joined;
}

FailureOr<SmallVector<PyValue>>
ProgramBuilder::selfPredict(const json::Object &written, ModelState &model,
                            bool onBatch) {
  // `super().predict(x, **kwargs)`: the keywords written out.
  SmallVector<std::string> temporaries;
  FailureOr<const json::Object *> unpacked = unpackedCall(written, temporaries);
  if (failed(unpacked))
    return failure();
  llvm::scope_exit unbind([&] { unbindTemporaries(temporaries); });
  const json::Object &node = **unpacked;
  // Keras's predict runs predict_step (the class's, else Keras's, which
  // calls the model with training=False).
  bool step = methodNamed(*model.model, "predict_step");
  const json::Object *method =
      methodNamed(*model.model, step ? "predict_step" : "call");
  llvm::StringRef shown = onBatch ? "predict_on_batch" : "predict";
  if (!method)
    return error(node, "'" + model.className + "' defines no 'call' method " +
                           "for Keras's " + shown + " to run");
  if ((model.converting && model.converting->node == method) ||
      llvm::is_contained(inlining, method))
    return error(node, "'" + source(*written.getObject("func")) +
                           "(...)' inside '" + model.className + "." +
                           method->getString("name").value_or("") +
                           "' runs it again (Keras's " + shown + " runs " +
                           (step ? "predict_step" : "call") +
                           "): recursion is not supported (Keras would "
                           "recurse without end)");
  FailureOr<ModelInputs> in =
      modelInputs(node, *model.model, *method, /*predict=*/true);
  if (failed(in))
    return failure();
  auto run = [&]() -> FailureOr<SmallVector<PyValue>> {
    // The batch, by names bound to its tensors: one tensor, or the list of
    // a model's several inputs, as Keras gives it.
    SmallVector<std::string> names;
    json::Array items;
    for (Value batch : in->values) {
      names.push_back("$batch#" + std::to_string(names.size()) + "@" +
                      std::to_string(synthesized.size()));
      scope->env[names.back()] = PyValue::tensor(batch);
      items.push_back(
          located(json::Object{{"node", "Name"}, {"id", names.back()}}, node));
    }
    llvm::scope_exit unbindBatch([&] {
      for (const std::string &name : names)
        scope->env.erase(name);
    });
    json::Value data =
        in->list ? json::Value(located(json::Object{{"node", "List"},
                                                    {"elts", std::move(items)}},
                                       node))
                 : json::Value(std::move(items.front()));
    json::Object self =
        located(json::Object{{"node", "Name"}, {"id", "self"}}, node);
    json::Object call{{"node", "Call"}, {"args", json::Array{std::move(data)}}};
    if (step) {
      call["func"] = located(json::Object{{"node", "Attribute"},
                                          {"value", std::move(self)},
                                          {"attr", "predict_step"}},
                             node);
      call["keywords"] = json::Array();
    } else {
      call["func"] = std::move(self);
      call["keywords"] = json::Array{located(
          json::Object{{"node", "keyword"},
                       {"arg", "training"},
                       {"value", located(json::Object{{"node", "Constant"},
                                                      {"value", false}},
                                         node)}},
          node)};
    }
    std::optional<FailureOr<SmallVector<PyValue>>> results =
        modelCallValues(synthesize(located(std::move(call), node)));
    if (!results)
      return error(node, "Keras's " + shown + " could not call '" +
                             model.className + "' here");
    return *results;
  };
  // predict_on_batch: predict_step once, on the whole input.
  if (onBatch)
    return predictOnBatch(node, run);
  return predictInBatches(node, *in, run);
}
