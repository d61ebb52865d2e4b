//===- PythonExpressions.cpp - Python expressions to predict ops ----------===//
//
// Names, numbers and operators (calls are PythonCalls.cpp's). Each op is
// built with its result type unknown and typed at once by its own shape
// rule (ShapeInferenceOpInterface): the rule lives in the dialect only, and
// an operand mismatch is reported at the user's line by the op itself.
//
//===----------------------------------------------------------------------===//

#include "PythonArguments.h"
#include "PythonBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {
template <typename OpTy>
Operation *buildBinaryOp(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type unknown = UnrankedTensorType::get(b.getF32Type());
  if constexpr (std::is_same_v<OpTy, AddOp>) // variadic: the Add layer too
    return AddOp::create(b, loc, unknown, ValueRange{lhs, rhs});
  else
    return OpTy::create(b, loc, unknown, lhs, rhs);
}

/// An integer for a message: in full up to 30 digits, else its first
/// digits and how many there are.
std::string intText(llvm::StringRef text) {
  if (text.size() <= 30)
    return text.str();
  return text.take_front(20).str() + "... (" +
         std::to_string(text.ltrim('-').size()) + " digits)";
}
} // namespace

const char *const python::kSubset =
    "supported inside converted code: assignments to names, `return`, "
    "`if`, `while`, `for` over `range(...)`, `break`, `continue`, list `[]` "
    "and `.append`, calls of layers, "
    "models and the tf.* operations of docs/PythonSource.md, slicing "
    "`x[a:b]`, `x.shape[0]`, `tf.shape(x)[0]`, + - * / ** @";

BinaryBuilder python::binaryOp(llvm::StringRef op) {
  return llvm::StringSwitch<BinaryBuilder>(op)
      .Cases({"Add", "tensorflow.add", "tensorflow.math.add"},
             buildBinaryOp<AddOp>)
      .Cases({"Sub", "tensorflow.subtract", "tensorflow.math.subtract"},
             buildBinaryOp<SubOp>)
      .Cases({"Mult", "tensorflow.multiply", "tensorflow.math.multiply"},
             buildBinaryOp<MulOp>)
      .Cases({"Div", "tensorflow.divide", "tensorflow.math.divide",
              "tensorflow.math.truediv"},
             buildBinaryOp<DivOp>)
      .Cases({"FloorDiv", "tensorflow.math.floordiv"},
             buildBinaryOp<FloorDivOp>)
      .Cases({"Mod", "tensorflow.math.floormod", "tensorflow.math.mod"},
             buildBinaryOp<ModOp>)
      .Cases({"Pow", "tensorflow.pow", "tensorflow.math.pow"},
             buildBinaryOp<PowOp>)
      .Cases({"tensorflow.maximum", "tensorflow.math.maximum"},
             buildBinaryOp<MaximumOp>)
      .Cases({"tensorflow.minimum", "tensorflow.math.minimum"},
             buildBinaryOp<MinimumOp>)
      .Cases({"MatMult", "tensorflow.matmul", "tensorflow.linalg.matmul"},
             buildBinaryOp<MatmulOp>)
      .Default(nullptr);
}

/// Python's float `text` (its repr: `1e-05`, `inf`, `-inf`, `nan`) as a
/// double, exactly; false when it is not one.
bool python::parseFloatText(llvm::StringRef text, llvm::APFloat &value) {
  value = llvm::APFloat(llvm::APFloat::IEEEdouble());
  if (text == "inf" || text == "-inf")
    value = llvm::APFloat::getInf(value.getSemantics(), text.starts_with("-"));
  else if (text == "nan")
    value = llvm::APFloat::getNaN(value.getSemantics());
  else if (auto status =
               value.convertFromString(text, llvm::APFloat::rmNearestTiesToEven);
           !status) {
    llvm::consumeError(status.takeError());
    return false;
  }
  return true;
}

/// The user's word for the predict op `name` in a message: the Python
/// operator it comes from, or its mnemonic (`predict.l2_normalize`:
/// "l2_normalize").
static std::string userWords(llvm::StringRef name) {
  llvm::StringRef mnemonic =
      name.drop_until([](char c) { return c == '.'; }).drop_front();
  return llvm::StringSwitch<std::string>(mnemonic)
      .Case("matmul", "'@' (matmul)")
      .Case("add", "'+'")
      .Case("sub", "'-'")
      .Case("mul", "'*'")
      .Case("div", "'/'")
      .Case("neg", "unary '-'")
      .Case("floor_div", "'//'")
      .Case("mod", "'%'")
      .Case("pow", "'**'")
      .Default(mnemonic.str());
}

FailureOr<Value> ProgramBuilder::typed(Operation *op) {
  // The op's shape rule and verifier speak of 'predict.matmul' op; the
  // user wrote `a @ b`: their messages are reworded at the same location.
  std::string prefix = "'" + op->getName().getStringRef().str() + "' op ";
  bool rewording = false;
  ScopedDiagnosticHandler reword(context, [&](Diagnostic &diag) {
    std::string text = diag.str();
    if (rewording || !llvm::StringRef(text).starts_with(prefix))
      return failure();
    rewording = true;
    {
      llvm::StringRef rest = llvm::StringRef(text).drop_front(prefix.size());
      std::string reworded;
      // An operand of a type the op does not compute on (`tf.abs` of
      // bools, `tf.exp` of int32): said in the user's terms, with the way
      // out, for ODS's "operand #0 must be tensor of floating-point
      // values, but got 'tensor<4xi32>'".
      auto [need, got] = rest.split(" values, but got '");
      unsigned operand = 0;
      if (need.consume_front("operand #") &&
          !need.consumeInteger(10, operand) && got.consume_back("'") &&
          need.starts_with(" must be tensor of ") &&
          operand < op->getNumOperands()) {
        bool floats = need.ends_with("of floating-point");
        bool bools = getElementTypeOrSelf(op->getOperand(operand).getType())
                         .isInteger(1);
        reworded = "an operand is " + got.str() + ", and it computes on " +
                   (floats ? "floats" : "float, int32 and int64 tensors") +
                   " only (TensorFlow's kernels refuse " +
                   (bools ? "bools" : "that dtype") +
                   " too): tf.cast it to tf.float32 first";
      } else {
        reworded = rest.str();
      }
      InFlightDiagnostic user = mlir::emitError(diag.getLocation())
                                << userWords(op->getName().getStringRef())
                                << ": " << reworded;
      for (Diagnostic &note : diag.getNotes())
        user.attachNote(note.getLocation()) << note.str();
    }
    rewording = false;
    return success();
  });
  auto shaped = dyn_cast<ShapeInferenceOpInterface>(op);
  SmallVector<Type> inferred;
  if (!shaped || failed(shaped.inferResultTypes(inferred))) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred))
    result.setType(type);
  // The op's own constraints (an integer tensor where floats are needed:
  // `tf.argmax(p, 1) + 1`) are an error at the user's line now, not an
  // internal error when the module is verified.
  if (failed(mlir::verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  return op->getResult(0);
}

FailureOr<const json::Object *>
ProgramBuilder::numberOf(const json::Object &node) {
  // A hyperparameter or module constant that is a number (PythonValues.cpp).
  if (const json::Value *known = knownValue(node))
    if (const json::Object *o = known->getAsObject())
      if (o->getString("int") || o->getString("float"))
        return o;
  if (std::optional<llvm::StringRef> why = node.getString("fold_error"))
    return error(node, *why);
  if (const json::Object *folded = node.getObject("folded"))
    return folded;
  if (node.getString("node") == "Constant")
    if (const json::Object *v = node.getObject("value"))
      if (v->getString("int") || v->getString("float"))
        return v;
  return static_cast<const json::Object *>(nullptr);
}

FailureOr<llvm::APFloat> ProgramBuilder::floatValue(const json::Object &node,
                                                    const json::Object &value,
                                                    bool single) {
  // Python's float of the value, then numpy's float32 of that (round to
  // nearest, +-inf beyond float32's range), as `x * 0.1` computes.
  llvm::APFloat f(llvm::APFloat::IEEEdouble());
  if (auto text = value.getString("float")) {
    if (!parseFloatText(*text, f))
      return error(node, "'" + *text + "' is not a number");
  } else if (auto text = value.getString("int")) {
    // A decimal with an optional sign (the reader folds `-0x3` to "-3").
    llvm::APInt i;
    if (text->drop_front(text->starts_with("-")).getAsInteger(10, i))
      return error(node, "'" + *text + "' is not an integer");
    // Exact below 2^53; rounded to nearest above, as float() rounds; an
    // OverflowError in Python beyond a double's range.
    auto status = f.convertFromString(*text, llvm::APFloat::rmNearestTiesToEven);
    if (!status) {
      llvm::consumeError(status.takeError());
      return error(node, "'" + *text + "' is not an integer");
    }
    if (f.isInfinity())
      return error(node, "the integer " + intText(*text) +
                             " is too large for a float (as in numpy and "
                             "TensorFlow)");
  } else {
    return error(node, "expected a number here");
  }
  if (single) {
    bool lost;
    f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
              &lost);
  }
  return f;
}

FailureOr<int64_t> ProgramBuilder::integerValue(const json::Object &node,
                                                const json::Object &value,
                                                llvm::StringRef what) {
  std::optional<llvm::StringRef> text = value.getString("int");
  if (!text)
    return error(node, "expected an integer, not " +
                           value.getString("float").value_or("this").str());
  // Python's ints are unbounded; predict's are 64-bit, and -2**63 is
  // refused with 2**63 (its negation would not fit).
  int64_t i;
  if (text->getAsInteger(10, i) || i == INT64_MIN)
    return error(node, "the " + what + " " + intText(*text) +
                           " does not fit in 64 bits (predict's integers and "
                           "sizes are 64-bit)");
  return i;
}

FailureOr<Value> ProgramBuilder::number(const json::Object &node,
                                        const json::Object &value) {
  FailureOr<double> d = pythonNumber(node, value);
  if (failed(d))
    return failure();
  return pythonFloatValue(*d, loc(node)).value;
}

std::optional<std::string>
python::flattenLiteral(const json::Value &value,
                       SmallVectorImpl<const json::Value *> &flat,
                       SmallVectorImpl<int64_t> &shape, bool emptyOk) {
  const json::Object *object = value.getAsObject();
  if (value.getAsBoolean() ||
      (object && (object->getString("int") || object->getString("float")))) {
    flat.push_back(&value);
    return std::nullopt;
  }
  const json::Array *items = object ? object->getArray("list") : nullptr;
  if (!items && object)
    items = object->getArray("tuple");
  if (!items || (items->empty() && !emptyOk))
    return std::string(emptyOk ? "takes a number, a bool or a (nested) "
                                 "list of them"
                               : "takes a number, a bool or a non-empty "
                                 "(nested) list of them");
  SmallVector<int64_t> first;
  for (auto [i, item] : llvm::enumerate(*items)) {
    SmallVector<int64_t> inner;
    if (std::optional<std::string> why =
            flattenLiteral(item, flat, inner, emptyOk))
      return why;
    if (i == 0)
      first = inner;
    else if (inner != first)
      return std::string("a ragged constant: every row must have the same "
                         "shape");
  }
  shape.push_back(items->size());
  shape.append(first.begin(), first.end());
  return std::nullopt;
}

FailureOr<Value> ProgramBuilder::literalConstant(const json::Value &value,
                                                 const json::Object &at,
                                                 Type dtype, Type hint) {
  SmallVector<const json::Value *> flat;
  SmallVector<int64_t> shape;
  if (std::optional<std::string> why = flattenLiteral(value, flat, shape))
    return error(at, llvm::StringRef(*why).starts_with("takes")
                         ? "tf.constant " + *why
                         : *why);
  auto isFloat = [](const json::Value *v) {
    const json::Object *o = v->getAsObject();
    return o && o->getString("float");
  };
  auto isBool = [](const json::Value *v) { return bool(v->getAsBoolean()); };
  bool anyBool = llvm::any_of(flat, isBool);
  bool anyFloat = llvm::any_of(flat, isFloat);
  if (anyBool && !llvm::all_of(flat, isBool))
    return error(at, "a constant of bools and numbers (TensorFlow raises): "
                     "give one kind");
  // The hint where every value converts to it exactly: bools to bool,
  // numbers to float32, integers to an integer type they fit.
  if (!dtype && hint) {
    bool fits = llvm::all_of(flat, [&](const json::Value *v) {
      if (hint.isInteger(1) || anyBool)
        return hint.isInteger(1) && anyBool;
      if (hint.isF32())
        return true;
      const json::Object &number = *v->getAsObject();
      int64_t i = 0;
      return number.getString("int") &&
             !number.getString("int")->getAsInteger(10, i) &&
             (hint.isInteger(64) || llvm::isInt<32>(i));
    });
    if (fits)
      dtype = hint;
  }
  // TensorFlow's inference (tf.constant's dtype=None): bool, int32, int64
  // when an integer does not fit in 32 bits, float32 with any float.
  Type type = dtype;
  if (!type) {
    type = anyBool    ? Type(builder.getI1Type())
           : anyFloat ? Type(builder.getF32Type())
                      : Type(builder.getI32Type());
    if (type.isInteger(32))
      for (const json::Value *v : flat) {
        FailureOr<int64_t> i = integerValue(at, *v->getAsObject());
        if (failed(i))
          return failure();
        if (*i != int32_t(*i))
          type = builder.getI64Type();
      }
  }
  auto tensorType = RankedTensorType::get(shape, type);
  Location where = loc(at);
  if (type.isInteger(1)) {
    if (!anyBool)
      return error(at, "a constant of numbers with dtype bool (TensorFlow "
                       "raises): compare instead (x != 0)");
    SmallVector<bool> bits;
    for (const json::Value *v : flat)
      bits.push_back(*v->getAsBoolean());
    return ConstantOp::create(builder, where,
                              DenseElementsAttr::get(tensorType, bits))
        .getResult();
  }
  if (anyBool)
    return error(at, "a constant of bools with dtype " + dtypeName(type) +
                         " (TensorFlow raises): give numbers, or tf.cast the "
                         "bools");
  if (auto integer = dyn_cast<IntegerType>(type)) {
    SmallVector<llvm::APInt> values;
    for (const json::Value *v : flat) {
      const json::Object &number = *v->getAsObject();
      if (number.getString("float"))
        return error(at, "the float " + *number.getString("float") +
                             " given for dtype " + dtypeName(type) +
                             " (TensorFlow raises): write integers");
      FailureOr<int64_t> i = integerValue(at, number);
      if (failed(i))
        return failure();
      if (integer.getWidth() == 32 && *i != int32_t(*i))
        return error(at, "the integer " + llvm::Twine(*i) +
                             " does not fit in int32 (TensorFlow raises): "
                             "give dtype=tf.int64");
      values.push_back(llvm::APInt(integer.getWidth(), *i, /*isSigned=*/true));
    }
    return ConstantOp::create(builder, where,
                              DenseElementsAttr::get(tensorType, values))
        .getResult();
  }
  SmallVector<llvm::APFloat> values;
  for (const json::Value *v : flat) {
    FailureOr<llvm::APFloat> f = floatValue(at, *v->getAsObject(),
                                            /*single=*/true);
    if (failed(f))
      return failure();
    values.push_back(*f);
  }
  return ConstantOp::create(builder, where,
                            DenseElementsAttr::get(tensorType, values))
      .getResult();
}

FailureOr<Value> ProgramBuilder::tensorOf(const PyValue &value,
                                          const json::Object &node) {
  if (value.isList() && !value.list->ssa)
    return error(node, "'" + source(node) + "' is a list of " +
                           std::to_string(value.list->elements.size()) +
                           " tensors here, not a tensor: index it (" +
                           source(node) +
                           "[0]), unpack it (a, b = ...) or "
                           "join it (tf.stack, tf.concat)");
  if (value.isList())
    return error(node, value.list->tensorArray
                           ? "'" + source(node) +
                                 "' is a tf.TensorArray, not a tensor: read "
                                 "it (" +
                                 source(node) + ".stack())"
                           : "'" + source(node) +
                                 "' is a list built by a loop, not a "
                                 "tensor: join it (tf.stack(" +
                                 source(node) + ") or tf.concat(" +
                                 source(node) + ", axis))");
  // An integer as tensor arguments take one (indexAsTensor); a bool (a
  // comparison of integers, `and`/`or` decided at run time) as a scalar
  // bool tensor, as TensorFlow's comparisons of int32 sizes give.
  if (value.isIndex())
    return indexAsTensor(node, value);
  if (value.isBool())
    return Value(tensor::FromElementsOp::create(
        builder, loc(node), RankedTensorType::get({}, builder.getI1Type()),
        value.value));
  if (!value.isTensor())
    return error(node, "expected a tensor here");
  return value.value;
}

FailureOr<Value> ProgramBuilder::tensor(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  if (!node)
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  FailureOr<const json::Object *> n = numberOf(*node);
  if (failed(n))
    return failure();
  if (*n)
    return number(*node, **n);
  FailureOr<PyValue> v = expr(value);
  if (failed(v))
    return failure();
  if (v->isIndex())
    return indexAsTensor(*node, *v);
  return tensorOf(*v, *node);
}

FailureOr<PyValue> ProgramBuilder::expr(const json::Value &value) {
  const json::Object *node = value.getAsObject();
  if (!node)
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  return expr(*node);
}

FailureOr<PyValue> ProgramBuilder::expr(const json::Object &object) {
  const json::Object *node = &object;
  if (!node->getString("node"))
    return emitError(FileLineColLoc::get(context, file, 1, 1))
           << "the program JSON has an expression that is not a node";
  // Bounded, so that no program exhausts the builder's stack (it runs on
  // one sized for --max-nesting).
  if (depth >= options.maxNesting)
    return error(*node, "the expression nests more than " +
                            llvm::Twine(options.maxNesting) +
                            " levels deep (operands, calls and the functions "
                            "they call), the reader's limit: split it into "
                            "several assignments, or raise the limit with "
                            "--max-nesting=N");
  llvm::SaveAndRestore<unsigned> nested(depth, depth + 1);
  return exprAt(*node);
}

FailureOr<PyValue> ProgramBuilder::exprAt(const json::Object &node) {
  llvm::StringRef kind = *node.getString("node");
  if (kind == "Name") {
    llvm::StringRef id = node.getString("id").value_or("");
    auto it = scope->env.find(id);
    if (it == scope->env.end()) {
      auto local = scope->loopLocals.find(id);
      if (local != scope->loopLocals.end())
        return error(node, "'" + id + "' is bound only inside the loop at "
                               "line " +
                               llvm::Twine(line(*local->second)) +
                               ", which may run zero times (Python then "
                               "raises NameError here): give it a value "
                               "before the loop, and the loop carries it");
      auto branch = scope->branchLocals.find(id);
      if (branch != scope->branchLocals.end() &&
          branch->second->get("$loopElse"))
        return error(node, "'" + id +
                               "' is bound only in the `else` of "
                               "the loop at line " +
                               llvm::Twine(line(*branch->second)) +
                               ", which does not run when the loop breaks "
                               "(decided at run time; Python raises "
                               "NameError here then): give it a value "
                               "before the loop");
      if (branch != scope->branchLocals.end())
        return error(node, "'" + id + "' is bound in only one arm of the "
                               "`if` statement at line " +
                               llvm::Twine(line(*branch->second)) +
                               ", which is decided at run time (Python "
                               "raises NameError here on the other path): "
                               "give it a value before the `if` or in both "
                               "arms");
      if (const json::Value *known = knownValue(node))
        return knownPyValue(*known, node);
      // A module variable made by a call (W = np.load(...)): not a value
      // known at import, whatever reads it (the reader hands arrays of
      // known values on as constants).
      if (const json::Object *madeBy = program->getObject("made_by"))
        if (std::optional<llvm::StringRef> made = madeBy->getString(id);
            made && !made->starts_with("$"))
          return error(node, "'" + id + "' is made at module level by " +
                                 *made +
                                 "(...), which converted code does not "
                                 "read (it reads the arrays np.array, "
                                 "np.eye, tf.constant and the like make of "
                                 "values known at import): make it in the "
                                 "function (or in the "
                                 "model's __init__, as self." +
                                 id + "), or pass it as an argument");
      // An array code run at import may change (PythonArrays.cpp): where.
      if (const json::Object *at = program->getObject("changed_at"))
        if (const json::Array *where = at->getArray(id))
          if (where->size() == 2 && (*where)[0].getAsInteger())
            return error(node, "'" + id +
                                   "' is a module array that code run at "
                                   "import may change in place (at line " +
                                   llvm::Twine(*(*where)[0].getAsInteger()) +
                                   ": written, viewed, given to a function "
                                   "or method), so not a constant "
                                   "converted code may read: bind it once "
                                   "to its final values, or compute them in "
                                   "the function");
      if (llvm::is_contained(arrayOr(program->getArray("changed")),
                             json::Value(id)))
        return error(node, "'" + id +
                               "' is a module variable that the "
                               "module binds more than once or "
                               "changes in place, so not a constant "
                               "converted code may read: pass it as "
                               "an argument, or bind it once");
      // A model (the module's, a parameter given one): not a value.
      if (scope->modelAliases.count(id) ||
          (!scope->env.count(id) && findModel(*program, id)))
        return error(node, "'" + id +
                               "' is a model here, not a value: call it (" +
                               id + "(x)) or a method of it (" + id +
                               ".predict(x), " + id + ".encode(x))");
      // A module variable bound once to what is not known at import.
      if (const json::Object *bound = program->getObject("module_values"))
        if (std::optional<llvm::StringRef> value = bound->getString(id))
          return error(node, "'" + id + "' is bound at module level to '" +
                                 *value +
                                 "', which predict does not evaluate at "
                                 "import: converted code reads module "
                                 "constants (numbers, strings, tuples, "
                                 "lists), numpy arrays made of them "
                                 "(np.array, np.eye...) and arithmetic of "
                                 "those; compute it in the function");
      if (scope->localFunctions.count(id))
        return error(node, "'" + id +
                               "' is a function defined in this "
                               "function: it is converted where it "
                               "is called (" +
                               id +
                               "(...)) or given to tf.while_loop, tf.cond or "
                               "tf.map_fn, not as a value of its own");
      return error(node, "'" + id + "' is not defined here (converted code "
                                    "sees its arguments and the names it "
                                    "assigns)");
    }
    if (it->second.kind == PyValue::Kind::Unbound && it->second.row)
      return error(node, "'" + id + "' is read after the loop at line " +
                             llvm::Twine(line(*it->second.loop)) +
                             ", which binds it to a tensor's rows: the last "
                             "row is not kept after the loop; assign it to "
                             "another name inside the loop");
    if (it->second.kind == PyValue::Kind::Unbound)
      return error(node, "'" + id + "' is read after the loop at line " +
                             llvm::Twine(line(*it->second.loop)) +
                             ", which leaves it unbound when it runs zero "
                             "times (Python raises NameError); give it an "
                             "integer value before the loop");
    return it->second;
  }
  // Numbers alone: an integer is an index (a size, a bound); a float is a
  // Python float (PythonFloats.cpp).
  FailureOr<const json::Object *> n = numberOf(node);
  if (failed(n))
    return failure();
  if (*n) {
    if ((*n)->getString("int")) {
      FailureOr<int64_t> i = integerValue(node, **n);
      if (failed(i))
        return failure();
      return constantIndex(*i, loc(node));
    }
    FailureOr<double> d = pythonNumber(node, **n);
    if (failed(d))
      return failure();
    return pythonFloatValue(*d, loc(node));
  }
  // A tuple of tensors is read as a list is (`tf.concat((a, b), 1)`).
  if (kind == "List" || kind == "Tuple")
    return listLiteral(node);
  // Control flow's expressions (PythonBranches.cpp).
  if (kind == "Constant")
    if (const json::Value *v = node.get("value"))
      if (std::optional<bool> b = v->getAsBoolean())
        return PyValue::boolean(
            arith::ConstantIntOp::create(builder, loc(node), *b, 1));
  if (kind == "Compare")
    return compare(node);
  if (kind == "BoolOp")
    return boolOp(node);
  if (kind == "UnaryOp" && node.getString("op") == "Not")
    return notOp(node);
  if (kind == "IfExp")
    return ifExp(node);
  if (kind == "BinOp")
    return binary(node);
  if (kind == "UnaryOp" && node.getString("op") == "USub") {
    FailureOr<PyValue> value = expr(*node.get("operand"));
    if (failed(value))
      return failure();
    Location at = loc(node);
    // -True is -1: Python's bool is an int.
    if (value->isBool())
      scalarToInteger(*value, at);
    if (value->isIndex())
      return indexNegate(node, *value);
    if (std::optional<double> d = pythonFloat(*value))
      return pythonFloatValue(-*d, at);
    FailureOr<Value> x = tensorOf(*value, *node.getObject("operand"));
    if (failed(x))
      return failure();
    if (getElementTypeOrSelf(x->getType()).isInteger(1))
      return error(node, "'" + source(node) +
                             "': unary '-' of bools (numpy and TensorFlow "
                             "raise TypeError): write ~ for 'not'");
    FailureOr<Value> result = typed(NegOp::create(builder, at, x->getType(), *x));
    if (failed(result))
      return failure();
    // (-A of a numpy array is one.)
    return PyValue::tensor(isNdarray(*x) ? markNdarray(*result) : *result);
  }
  // `~m` on a tensor of bools: logical not; on integers, every bit
  // inverted (TensorFlow's Tensor.__invert__: tf.bitwise.invert).
  if (kind == "UnaryOp" && node.getString("op") == "Invert") {
    FailureOr<PyValue> value = expr(*node.get("operand"));
    if (failed(value))
      return failure();
    // Of an integer, Python's (and TensorFlow's int32) ~n, -n - 1: every
    // bit inverted (helper-141: refused).
    if (value->isIndex()) {
      Location at = loc(node);
      Value inverted = builder.createOrFold<arith::XOrIOp>(
          at, value->value, constantIndex(-1, at).value);
      PyValue result = value->int32 ? PyValue::int32Index(inverted)
                                    : PyValue::index(inverted);
      return result;
    }
    Type element = value->isTensor()
                       ? getElementTypeOrSelf(value->value.getType())
                       : Type();
    if (!element || !(element.isInteger(1) || element.isInteger(32) ||
                      element.isInteger(64)))
      return error(node, "'" + source(node) +
                             "': ~ is converted on tensors of bools "
                             "(comparisons) and of integers only");
    FailureOr<Value> result = typed(NotOp::create(
        builder, loc(node), value->value.getType(), value->value));
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  if (kind == "Subscript")
    return subscript(node);
  if (kind == "Attribute")
    if (std::optional<FailureOr<PyValue>> result = modelAttribute(node))
      return *result;
  // tf.math.top_k(x, k).values (PythonTensorOps.cpp).
  if (kind == "Attribute")
    if (std::optional<FailureOr<PyValue>> result = rankOf(node))
      return *result;
  // `x.dtype.is_floating` and friends: known at import.
  if (kind == "Attribute")
    if (const json::Object *base = node.getObject("value");
        base && kindOf(*base) == "Attribute" &&
        base->getString("attr") == "dtype") {
      llvm::StringRef attr = node.getString("attr").value_or("");
      if (llvm::is_contained({"is_floating", "is_integer", "is_bool",
                              "is_unsigned", "is_complex"},
                             attr)) {
        FailureOr<std::optional<std::string>> name = dtypeText(*base);
        if (failed(name))
          return failure();
        if (*name) {
          llvm::StringRef n = **name;
          bool value = attr == "is_floating"   ? n.contains("float")
                       : attr == "is_integer"  ? n.contains("int")
                       : attr == "is_bool"     ? n == "bool"
                       : attr == "is_unsigned" ? n.starts_with("uint")
                                               : n.starts_with("complex");
          return PyValue::boolean(
              arith::ConstantIntOp::create(builder, loc(node), value, 1));
        }
      }
    }
  if (kind == "Attribute")
    if (std::optional<FailureOr<PyValue>> result = tensorAttribute(*this, node))
      return *result;
  if (kind == "Call")
    return call(node);
  if (kind == "ListComp")
    if (std::optional<FailureOr<PyValue>> list = listComprehension(node))
      return *list;
  // In the user's words: the construct's Python name, and what to write.
  std::string words =
      llvm::StringSwitch<std::string>(kind)
          .Case("Lambda", "a `lambda` is converted as tf.cond's, "
                          "tf.while_loop's and tf.map_fn's function, or "
                          "bound to a name (`g = lambda v: ...`, then "
                          "g(x)), not as another value")
          .Case("ListComp", "a list comprehension is converted with "
                            "`for`s (and any `if`s) over what a `for` loop "
                            "takes, each target a name or a tuple of names "
                            "(not `async for`)")
          .Case("GeneratorExp", "a generator expression is not converted: "
                                "write a `for` loop that appends to a list")
          .Cases({"SetComp", "Set"}, "a set is not a value of converted code")
          .Cases({"DictComp", "Dict"},
                 "a dict is not a value of converted code (a dict of "
                 "layers is made in __init__)")
          .Case("JoinedStr", "an f-string is not a value of converted code "
                             "(strings configure layers in __init__)")
          .Case("NamedExpr", "the assignment expression `:=` is not "
                             "converted: assign on a line of its own")
          .Cases({"Await", "Yield", "YieldFrom"},
                 "`await` and `yield` are not converted: a converted "
                 "function returns its result")
          .Case("Starred", "`*` unpacking is not converted: give the values "
                           "one by one")
          .Case("Slice", "a slice is converted only inside a subscript "
                         "(x[a:b])")
          .Default("");
  if (kind == "Constant" && node.get("value") &&
      node.get("value")->getAsString())
    words = "a string is not a value of converted code (strings configure "
            "layers in __init__)";
  // numpy's array attributes, which a tf.Tensor lacks (AttributeError) or
  // which have no meaning in a graph: TensorFlow's way instead.
  if (kind == "Attribute") {
    // `.T` of a numpy array.
    if (std::optional<FailureOr<PyValue>> result = ndarrayMethod(node))
      return *result;
    llvm::StringRef attr = node.getString("attr").value_or("");
    llvm::StringRef instead =
        llvm::StringSwitch<llvm::StringRef>(attr)
            .Case("T", "a tf.Tensor has no .T (numpy's transpose): write "
                       "tf.transpose(x)")
            .Case("size", "a tf.Tensor has no .size (numpy's element "
                          "count): write tf.size(x)")
            .Case("dtype", "a dtype is not a value of converted code: "
                           "compare it (x.dtype == tf.float32), ask "
                           "x.dtype.is_floating, or give it to tf.cast "
                           "(tf.cast(y, x.dtype))")
            .Cases({"numpy", "item", "tolist"},
                   "a graph has no numpy value: keep the tensor (predict "
                   "returns it as numpy from the compiled function)")
            .Default("");
    if (!instead.empty())
      words = instead.str();
  }
  if (!words.empty())
    return error(node, "'" + source(node) + "': " + words);
  return error(node, "unsupported expression '" + source(node) + "' (" +
                         kSubset + ")");
}

LogicalResult ProgramBuilder::checkRunTimeFloats(const json::Object &node,
                                                 const PyValue &a,
                                                 const PyValue &b,
                                                 bool aLiteral, bool bLiteral) {
  auto number = [&](const PyValue &v, bool literal) {
    return literal || v.isIndex() || v.isBool() || pythonFloat(v) ||
           isRunTimeFloat(v);
  };
  if ((isRunTimeFloat(a) || isRunTimeFloat(b)) && number(a, aLiteral) &&
      number(b, bLiteral))
    return error(node, "'" + source(node) +
                           "': Python computes with float() of an integer "
                           "known only at run time in double precision, "
                           "which converted code does not hold (float32 "
                           "would round it otherwise): write tf.cast(n, "
                           "tf.float32) for TensorFlow's float32 arithmetic");
  return success();
}

LogicalResult ProgramBuilder::listBesideTensor(PyValue &value,
                                               const json::Object &side,
                                               const PyValue &other,
                                               const json::Object &node) {
  // TensorFlow's binary operators and comparisons convert the other
  // operand to the tensor's dtype (convert_to_tensor(y, dtype=x.dtype),
  // math_ops.py's binary_op_wrapper): the elements packed as tf.stack packs
  // them, then cast. A float for an integer tensor is its TypeError.
  if (!value.isKnownList() || !value.list->fields.empty() || !other.isTensor())
    return success();
  Type want = getElementTypeOrSelf(other.value.getType());
  FailureOr<Value> packed =
      joinList(*value.list, 0, /*concat=*/false, side, want);
  if (failed(packed))
    return failure();
  Type own = getElementTypeOrSelf(packed->getType());
  if (own != want) {
    if (!isa<FloatType>(want) && !(own.isInteger(32) || own.isInteger(64)))
      return error(side, "'" + source(node) + "': the tensor beside '" +
                             source(side) + "' is " + dtypeName(want) +
                             ", and TensorFlow does not convert the " +
                             dtypeName(own) + " values of '" + source(side) +
                             "' to it: tf.cast the tensor, or write integers");
    FailureOr<Value> cast = typed(CastOp::create(
        builder, loc(side), UnrankedTensorType::get(want), *packed));
    if (failed(cast))
      return failure();
    packed = cast;
  }
  value = PyValue::tensor(*packed);
  return success();
}

FailureOr<PyValue> ProgramBuilder::binary(const json::Object &node) {
  // A number against a tensor is a scalar tensor; against an integer,
  // integer arithmetic: the other side decides, so it goes first.
  const json::Object *left = node.getObject("left");
  const json::Object *right = node.getObject("right");
  if (!left || !right)
    return error(node, "the program JSON has a BinOp without operands");
  FailureOr<const json::Object *> leftNumber = numberOf(*left);
  if (failed(leftNumber))
    return failure();
  FailureOr<const json::Object *> rightNumber = numberOf(*right);
  if (failed(rightNumber))
    return failure();
  // Python's bool is an int in arithmetic (True + 1 is 2).
  auto intLike = [](const PyValue &v) { return v.isIndex() || v.isBool(); };
  auto numberAgainst = [&](const json::Object &side, const json::Object &value,
                           const PyValue &other) -> FailureOr<PyValue> {
    // (An int beside a tuple or list repeats it: `[2] * 3`.)
    if ((intLike(other) || other.isKnownList()) && value.getString("int")) {
      FailureOr<int64_t> i = integerValue(side, value);
      if (failed(i))
        return failure();
      return constantIndex(*i, loc(side));
    }
    FailureOr<Value> c = number(side, value);
    if (failed(c))
      return failure();
    return PyValue::tensor(*c);
  };
  // A nested list literal of numbers (`x / [[1.0], [2.0]]`): the constant
  // TensorFlow converts it to (numbersLike gives it the other side's dtype
  // in the arithmetic below); a flat one stays a Python list (`[n] + [3]`).
  auto nestedLiteral =
      [&](const json::Object &side) -> std::optional<FailureOr<PyValue>> {
    llvm::StringRef k = kindOf(side);
    if ((k != "List" && k != "Tuple") ||
        llvm::none_of(nodes(side.getArray("elts")), [](const json::Object *e) {
          return kindOf(*e) == "List" || kindOf(*e) == "Tuple";
        }))
      return std::nullopt;
    return literalArray(side);
  };
  FailureOr<PyValue> lhs = failure(), rhs = failure();
  if (auto nested = nestedLiteral(*left); nested && !*rightNumber) {
    lhs = *nested;
    if (succeeded(lhs))
      rhs = expr(*right);
  } else if (auto nested = nestedLiteral(*right); nested && !*leftNumber) {
    lhs = expr(*left);
    if (succeeded(lhs))
      rhs = *nested;
  } else if (*leftNumber && !*rightNumber) {
    rhs = expr(*right);
    if (failed(rhs))
      return failure();
    lhs = numberAgainst(*left, **leftNumber, *rhs);
  } else if (*rightNumber && !*leftNumber) {
    lhs = expr(*left);
    if (failed(lhs))
      return failure();
    rhs = numberAgainst(*right, **rightNumber, *lhs);
  } else {
    lhs = expr(*left);
    if (succeeded(lhs))
      rhs = expr(*right);
  }
  if (failed(lhs) || failed(rhs))
    return failure();
  // `[n] + [3, 3]`, `pair + (x,)`: Python's concatenation of two tuples or
  // lists built outside loops.
  auto known = [](const PyValue &v) {
    return v.isKnownList() && v.list->fields.empty();
  };
  if (node.getString("op") == "Add" && known(*lhs) && known(*rhs)) {
    const ListValue &a = *lhs->list, &c = *rhs->list;
    SmallVector<Value> elements(a.elements);
    llvm::append_range(elements, c.elements);
    SmallVector<PyValue> items = listItems(a);
    llvm::append_range(items, listItems(c));
    PyValue joined = knownList(node, elements, items);
    if (a.sources.size() == a.elements.size() &&
        c.sources.size() == c.elements.size()) {
      joined.list->sources.assign(a.sources.begin(), a.sources.end());
      llvm::append_range(joined.list->sources, c.sources);
    }
    return joined;
  }
  // `[2] * 3`, `2 * [n, 1]`: Python's repetition of a tuple or list by an
  // int known at import.
  if (node.getString("op") == "Mult" &&
      ((known(*lhs) && rhs->isIndex()) || (known(*rhs) && lhs->isIndex()))) {
    const PyValue &list = known(*lhs) ? *lhs : *rhs;
    const PyValue &count = known(*lhs) ? *rhs : *lhs;
    std::optional<int64_t> times = knownIndexValue(count.value);
    if (!times)
      return error(node, "'" + source(node) +
                             "' repeats a tuple or list a number of times "
                             "known only at run time, which converted code "
                             "does not hold (its length would be known only "
                             "then): repeat a tensor with tf.tile");
    SmallVector<Value> elements;
    SmallVector<PyValue> items;
    SmallVector<PyValue> each = listItems(*list.list);
    for (int64_t k = 0; k < *times; ++k) {
      llvm::append_range(elements, list.list->elements);
      llvm::append_range(items, each);
    }
    return knownList(node, elements, items);
  }
  // `x + [1.0, 2.0]`, `(0.5, 2) * x`: the tensor of a tuple or list.
  for (auto [value, side, other] :
       {std::tuple(&*lhs, left, &*rhs), std::tuple(&*rhs, right, &*lhs)})
    if (failed(listBesideTensor(*value, *side, *other, node)))
      return failure();
  // numpy's arithmetic of arrays and Python numbers gives an array.
  auto arrayOrNumber = [&](const PyValue &v, const json::Object *number) {
    return isNdarray(v.value) || v.number || v.isIndex() || number;
  };
  bool array = (isNdarray(lhs->value) || isNdarray(rhs->value)) &&
               arrayOrNumber(*lhs, *leftNumber) &&
               arrayOrNumber(*rhs, *rightNumber);
  llvm::StringRef op = node.getString("op").value_or("");
  bool bitwise = op == "BitAnd" || op == "BitOr" || op == "BitXor";
  // `(n > 1) & (n < 5)` of Python bools: Python's bool (decided at import
  // when both are known).
  if (bitwise && lhs->isBool() && rhs->isBool()) {
    Location at = loc(node);
    std::optional<int64_t> l = getConstantIntValue(lhs->value),
                           r = getConstantIntValue(rhs->value);
    if (l && r)
      return PyValue::boolean(
          arith::ConstantIntOp::create(builder, at,
                                       op == "BitAnd"  ? (*l & *r)
                                       : op == "BitOr" ? (*l | *r)
                                                       : (*l ^ *r),
                                       1));
    Value v = op == "BitAnd"
                  ? arith::AndIOp::create(builder, at, lhs->value, rhs->value)
                        .getResult()
              : op == "BitOr"
                  ? arith::OrIOp::create(builder, at, lhs->value, rhs->value)
                        .getResult()
                  : arith::XOrIOp::create(builder, at, lhs->value, rhs->value)
                        .getResult();
    return PyValue::boolean(v);
  }
  if (intLike(*lhs) && intLike(*rhs) &&
      !(bitwise && lhs->isBool() && rhs->isBool())) {
    scalarToInteger(*lhs, loc(*left));
    scalarToInteger(*rhs, loc(*right));
    return indexBinary(node, *lhs, *rhs);
  }
  // Python floats and numbers known at import (`total + 1`, `s * k`):
  // Python's double arithmetic (PythonFloats.cpp).
  {
    bool anyFloat = false;
    auto known = [&](const PyValue &v,
                     const json::Object *literal) -> std::optional<double> {
      if (literal) {
        anyFloat |= literal->getString("float").has_value();
        FailureOr<double> d = pythonNumber(node, *literal);
        return succeeded(d) ? std::optional(*d) : std::nullopt;
      }
      if (std::optional<double> d = pythonFloat(v)) {
        anyFloat = true;
        return d;
      }
      if (v.isIndex())
        if (std::optional<int64_t> i = knownIndexValue(v.value))
          return static_cast<double>(*i);
      return std::nullopt;
    };
    std::optional<double> a = known(*lhs, *leftNumber);
    std::optional<double> b = known(*rhs, *rightNumber);
    if (a && b && anyFloat)
      if (std::optional<FailureOr<double>> r =
              floatArithmetic(node, op, *a, *b)) {
        if (failed(*r))
          return failure();
        // The literals' constants made above are not needed.
        for (auto [v, literal] :
             {std::pair(&*lhs, *leftNumber), std::pair(&*rhs, *rightNumber)})
          if (Operation *def = literal ? v->value.getDefiningOp() : nullptr)
            if (def->use_empty())
              def->erase();
        return pythonFloatValue(**r, loc(node));
      }
    if (failed(checkRunTimeFloats(node, *lhs, *rhs, *leftNumber != nullptr,
                                  *rightNumber != nullptr)))
      return failure();
    // A Python float with an integer known only at run time (a loop's
    // `i`, `tf.shape(x)[0]`): Python computes in double, which converted
    // code does not hold; in float32 `(1e8 + i) - 1e8` would be 0 (found
    // by helper-96). A tensor operand is TensorFlow's float32 instead.
    for (auto [v, literal, other] : {std::tuple(&*lhs, *leftNumber, &*rhs),
                                     std::tuple(&*rhs, *rightNumber, &*lhs)}) {
      bool isFloat = (literal && literal->getString("float")) ||
                     (!literal && pythonFloat(*v));
      if (isFloat && (other->isIndex() || other->isBool()) &&
          !knownIndexValue(other->value) && op != "FloorDiv" && op != "Mod")
        return error(node, "'" + source(node) +
                               "': Python computes this float of an "
                               "integer known only at run time in double "
                               "precision, which converted code does not "
                               "hold (float32 would round it otherwise): "
                               "write the tensor first (x * 0.5 * i), or "
                               "tf.cast the integer to tf.float32 for "
                               "TensorFlow's float32 arithmetic");
    }
    // A Python float beside integers: TensorFlow does not convert it
    // (numpy promotes an array: numbersLike).
    for (auto [v, other, side, literal] :
         {std::tuple(&*lhs, &*rhs, left, *leftNumber),
          std::tuple(&*rhs, &*lhs, right, *rightNumber)})
      if (!literal && pythonFloat(*v) && other->isTensor() &&
          !isNdarray(other->value) &&
          isa<IntegerType>(
              cast<TensorType>(other->value.getType()).getElementType()))
        return error(*side, "'" + source(node) + "': the tensor beside " +
                                source(*side) + " holds integers (" +
                                typeText(other->value.getType()) +
                                "), and TensorFlow does not convert the "
                                "Python float " +
                                source(*side) +
                                " to them: tf.cast the tensor to tf.float32");
  }
  // An integer and a float literal are two Python numbers: their `//` and
  // `%` are Python's float ones (1 // 0.1 is 9.0), not TensorFlow's
  // floor(a / b) that the tensors would give (10).
  bool floatLiteral = (*leftNumber && (*leftNumber)->getString("float")) ||
                      (*rightNumber && (*rightNumber)->getString("float")) ||
                      pythonFloat(*lhs) || pythonFloat(*rhs);
  if ((op == "FloorDiv" || op == "Mod") && floatLiteral &&
      (lhs->isIndex() || rhs->isIndex()))
    return error(node, "'" + source(node) +
                           "' of an integer and a float "
                           "is Python's float " +
                           (op == "Mod" ? "%" : "//") +
                           ", which converted code does not compute: write "
                           "tf.cast(n, tf.float32) for TensorFlow's, or "
                           "integers on both sides");
  // A known integer against a tensor is a number (`x + x.shape[1]` on a
  // static axis); one known only at run time cannot be yet.
  for (auto [value, side, other] :
       {std::tuple(&*lhs, left, &*rhs), std::tuple(&*rhs, right, &*lhs)}) {
    if (!value->isIndex() || !other->isTensor())
      continue;
    FailureOr<Value> k = indexAsTensor(*side, *value);
    if (failed(k))
      return failure();
    *value = PyValue::tensor(*k);
  }
  // `a & b`, `a | b`, `a ^ b` on tensors of bools (numpy's and
  // TensorFlow's logical operators).
  std::optional<LogicalKind> logical =
      llvm::StringSwitch<std::optional<LogicalKind>>(
          node.getString("op").value_or(""))
          .Case("BitAnd", LogicalKind::And)
          .Case("BitOr", LogicalKind::Or)
          .Case("BitXor", LogicalKind::Xor)
          .Default(std::nullopt);
  // (`mask & flag` of a Python bool: the bool as a tensor, as
  // Tensor.__and__ converts it.)
  for (auto [value, other] : {std::pair(&*lhs, &*rhs), std::pair(&*rhs, &*lhs)})
    if (logical && value->isBool() && other->isTensor())
      *value = PyValue::tensor(tensor::FromElementsOp::create(
          builder, loc(node), RankedTensorType::get({}, builder.getI1Type()),
          ValueRange{value->value}));
  if (logical && lhs->isTensor() && rhs->isTensor()) {
    // On integers, TensorFlow's Tensor.__and__ (and | ^) is
    // tf.bitwise.bitwise_and: a number beside them takes their dtype.
    auto isInt = [](const PyValue &v) {
      Type t = getElementTypeOrSelf(v.value.getType());
      return t.isInteger(32) || t.isInteger(64);
    };
    if ((isInt(*lhs) || isInt(*rhs)) &&
        failed(numbersLike(node, lhs->value, rhs->value, left, right)))
      return failure();
    // (Two dtypes are an error above.)
    Type l = getElementTypeOrSelf(lhs->value.getType());
    for (auto [value, side] : {std::pair(&*lhs, left), std::pair(&*rhs, right)})
      if (!isInt(*value) &&
          !getElementTypeOrSelf(value->value.getType()).isInteger(1)) {
        // (A Python number beside bools was made a float scalar above:
        // said as the number it is; helper-138.)
        FailureOr<const json::Object *> number = numberOf(*side);
        if (succeeded(number) && *number)
          return error(*side, "'" + source(node) + "': '" + source(*side) +
                                  "' is a Python number, which & | ^ "
                                  "combine with integer tensors, not with "
                                  "bools (TensorFlow raises): write True or "
                                  "False, or tf.cast the bools");
        return error(*side, "'" + source(node) +
                                "': & | ^ are converted on tensors of bools "
                                "(comparisons) and of integers (bitwise), "
                                "not on " +
                                typeText(value->value.getType()));
      }
    FailureOr<Value> result = typed(LogicalOp::create(
        builder, loc(node), UnrankedTensorType::get(l),
        LogicalKindAttr::get(context, *logical), lhs->value, rhs->value));
    if (failed(result))
      return failure();
    return PyValue::tensor(*result);
  }
  BinaryBuilder build = binaryOp(node.getString("op").value_or(""));
  // A list a loop builds (`outs + outs`, `outs * 2`): its length is known
  // only at run time, which a Python list in converted code is not.
  for (auto [value, side] : {std::pair(&*lhs, left), std::pair(&*rhs, right)})
    if (value->isList() && !value->isKnownList())
      return error(node, "'" + source(node) + "': '" + source(*side) +
                             "' is a list " +
                             (value->list->tensorArray
                                  ? std::string("of a tf.TensorArray")
                                  : std::string("built by a loop")) +
                             ", whose length is known only at run time: "
                             "join its tf.stack or tf.concat with tf.concat "
                             "instead of the list");
  if (!build || !lhs->isTensor() || !rhs->isTensor())
    return error(node, "tensor arithmetic supports + - * / // % ** @ between "
                       "tensors and numbers");
  // TensorFlow has no arithmetic on bools (its kernels refuse the dtype).
  // (A numpy array of bools beside a number tensor is converted to its
  // dtype, as TensorFlow converts one: numbersLike.)
  for (auto [value, side, other] :
       {std::tuple(&*lhs, left, &*rhs), std::tuple(&*rhs, right, &*lhs)})
    if (cast<TensorType>(value->value.getType())
            .getElementType()
            .isInteger(1) &&
        !(isNdarray(value->value) &&
          !getElementTypeOrSelf(other->value.getType()).isInteger(1)))
      return error(*side, "'" + source(node) +
                              "': arithmetic on a tensor of bools (" +
                              typeText(value->value.getType()) +
                              "), which TensorFlow refuses: cast it first, "
                              "tf.cast(" +
                              source(*side) +
                              ", tf.float32), or combine bools with & | ^");
  FailureOr<Value> result =
      arithmetic(node, build, lhs->value, rhs->value, left, right);
  if (failed(result))
    return failure();
  return PyValue::tensor(array ? markNdarray(*result) : *result);
}

LogicalResult ProgramBuilder::numbersLike(const json::Object &node, Value &x,
                                          Value &y, const json::Object *xSide,
                                          const json::Object *ySide) {
  // numpy arrays first: converted as TensorFlow converts them.
  if (failed(ndarraysLike(node, x, y, xSide, ySide)))
    return failure();
  // A tuple or list literal of numbers (`tf.add(x, [1, 2, 3, 4])`): the
  // tensor TensorFlow converts it to, of the other operand's dtype (a
  // float for integers is its TypeError; helper-108).
  auto written = [](const json::Object *side) {
    return side && (kindOf(*side) == "List" || kindOf(*side) == "Tuple");
  };
  for (auto [v, other, side, otherSide] :
       {std::tuple(&x, &y, xSide, ySide), std::tuple(&y, &x, ySide, xSide)}) {
    Type own = getElementTypeOrSelf(v->getType());
    Type want = getElementTypeOrSelf(other->getType());
    if (!written(side) || written(otherSide) || own == want ||
        own.isInteger(1) || want.isInteger(1))
      continue;
    if (isa<FloatType>(own) && !isa<FloatType>(want))
      return error(*side, "'" + source(node) + "': the tensor beside '" +
                              source(*side) + "' is " + dtypeName(want) +
                              ", and TensorFlow does not convert the " +
                              dtypeName(own) + " values of '" + source(*side) +
                              "' to it: tf.cast the tensor, or write integers");
    FailureOr<Value> cast = typed(
        CastOp::create(builder, loc(*side), UnrankedTensorType::get(want), *v));
    if (failed(cast))
      return failure();
    *v = *cast;
  }
  // Integers known only at run time with each other or with an integer
  // literal (`tf.maximum(tf.shape(x)[0], 1)`): TensorFlow's int32, as
  // tf.shape's sizes and Python ints standing alone are.
  auto intLiteral = [&](const json::Object *side) {
    FailureOr<const json::Object *> literal =
        side ? numberOf(*side) : FailureOr<const json::Object *>(nullptr);
    return succeeded(literal) && *literal && (*literal)->getString("int");
  };
  Value xInt = runTimeInteger(x), yInt = runTimeInteger(y);
  if ((xInt && (yInt || intLiteral(ySide))) || (yInt && intLiteral(xSide))) {
    for (auto [number, side] : {std::pair(&x, xSide), std::pair(&y, ySide)}) {
      Value scalar = runTimeInteger(*number);
      Operation *weak = number->getDefiningOp();
      if (scalar) {
        FailureOr<Value> narrow = integerScalar(
            side ? *side : node, PyValue::index(runTimeIndex(*number)),
            builder.getI32Type(), "TensorFlow's integers are int32");
        if (failed(narrow))
          return failure();
        *number = *narrow;
      } else {
        FailureOr<const json::Object *> literal = numberOf(*side);
        FailureOr<int64_t> i = failed(literal) || !*literal
                                   ? FailureOr<int64_t>(failure())
                                   : integerValue(*side, **literal);
        if (failed(i))
          return failure();
        if (!llvm::isInt<32>(*i))
          return error(*side, "'" + source(*side) +
                                  "' does not fit in int32 beside an integer "
                                  "known at run time (TensorFlow's int32)");
        *number = ConstantOp::create(
            builder, weak->getLoc(),
            DenseElementsAttr::get(
                RankedTensorType::get({}, builder.getI32Type()),
                builder.getI32IntegerAttr(int32_t(*i))));
      }
      if (weak->use_empty())
        weak->erase();
    }
    return success();
  }
  // `other` by reference: the first round may replace x.
  for (auto [number, otherRef, side] :
       {std::tuple(&x, &y, xSide), std::tuple(&y, &x, ySide)}) {
    Value other = *otherRef;
    Type element = cast<TensorType>(other.getType()).getElementType();
    // A Python integer known at run time (indexAsTensor): the integers'
    // type beside integers.
    if (Value scalar = runTimeInteger(*number);
        scalar && (element.isInteger(32) || element.isInteger(64))) {
      Operation *asFloat = number->getDefiningOp();
      *number = element.isInteger(64)
                    ? scalar
                    : CastOp::create(builder, asFloat->getLoc(),
                                     RankedTensorType::get({}, element), scalar)
                          .getResult();
      if (asFloat->use_empty())
        asFloat->erase();
      continue;
    }
    auto constant = number->getDefiningOp<ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(number->getType());
    if (!constant || !type || type.getRank() != 0 ||
        !type.getElementType().isF32() ||
        !(element.isInteger(32) || element.isInteger(64)))
      continue;
    auto value = dyn_cast<DenseFPElementsAttr>(constant.getValue());
    if (!value)
      continue;
    unsigned width = element.getIntOrFloatBitWidth();
    std::string beside = "'" + source(node) + "': the tensor beside ";
    std::string holds = " holds integers (" + typeText(other.getType()) + ")";
    llvm::APSInt whole(width, /*isUnsigned=*/false);
    // A literal is read from its text (float32 would round an integer
    // above 2**24).
    FailureOr<const json::Object *> literal =
        side ? numberOf(*side) : FailureOr<const json::Object *>(nullptr);
    if (failed(literal))
      return failure();
    if ((*literal && (*literal)->getString("float")) || knownFloatName(side))
      return error(*side, beside + source(*side) + holds +
                              ", and TensorFlow does not convert a float "
                              "to them: write an integer, or tf.cast the "
                              "tensor to tf.float32");
    if (*literal) {
      FailureOr<int64_t> i = integerValue(*side, **literal);
      if (failed(i))
        return failure();
      if (!llvm::isIntN(width, *i))
        return error(*side, beside + source(*side) + holds + ", and " +
                                std::to_string(*i) +
                                " does not fit in them (TensorFlow raises)");
      whole = llvm::APSInt(llvm::APInt(width, *i, /*isSigned=*/true),
                           /*isUnsigned=*/false);
    } else if (std::optional<int64_t> named = knownIntegerName(side)) {
      // A name bound to an integer known at import (`m = 16777217`): its
      // own value, not the float32 it was converted to.
      if (!llvm::isIntN(width, *named))
        return error(*side, beside + source(*side) + holds + ", and " +
                                std::to_string(*named) +
                                " does not fit in them (TensorFlow raises)");
      whole = llvm::APSInt(llvm::APInt(width, *named, /*isSigned=*/true),
                           /*isUnsigned=*/false);
    } else {
      // A size known at import, a scalar constant: float32 is exact for
      // whole numbers below 2**24; from there on, it may have rounded.
      llvm::APFloat f = value.getSplatValue<llvm::APFloat>();
      llvm::SmallString<16> text;
      f.toString(text);
      bool exact = false;
      if (f.convertToInteger(whole, llvm::APFloat::rmTowardZero, &exact) !=
              llvm::APFloat::opOK ||
          !exact)
        return error(node, beside + "the number " + text.str().str() + holds +
                               ", and TensorFlow raises for a number that is "
                               "not a whole one of their type: tf.cast the "
                               "tensor to tf.float32");
      if (whole.abs().getZExtValue() >= (uint64_t(1) << 24))
        return error(node, beside + "the number " + text.str().str() + holds +
                               ": predict converts such a number exactly up "
                               "to 2**24 only; write it as an integer literal");
    }
    auto intType = RankedTensorType::get({}, element);
    // (The float constant is left to canonicalization: a name may hold
    // it.)
    *number = ConstantOp::create(builder, constant.getLoc(),
                                 DenseElementsAttr::get(intType, whole))
                  .getResult();
  }
  Type xElement = cast<TensorType>(x.getType()).getElementType();
  Type yElement = cast<TensorType>(y.getType()).getElementType();
  if (xElement != yElement)
    return error(node, "'" + source(node) + "': the operands hold " +
                           typeText(xElement) + " and " + typeText(yElement) +
                           ", and TensorFlow does not mix element types: "
                           "tf.cast one of them");
  return success();
}

bool ProgramBuilder::knownFloatName(const json::Object *side) {
  if (!side || kindOf(*side) != "Name" || !scope)
    return false;
  auto it = scope->env.find(side->getString("id").value_or(""));
  return it != scope->env.end() && pythonFloat(it->second);
}

std::optional<int64_t>
ProgramBuilder::knownIntegerName(const json::Object *side) {
  if (!side || kindOf(*side) != "Name" || !scope)
    return std::nullopt;
  auto it = scope->env.find(side->getString("id").value_or(""));
  if (it == scope->env.end() || !it->second.isIndex())
    return std::nullopt;
  return knownIndexValue(it->second.value);
}

FailureOr<Value> ProgramBuilder::arithmetic(const json::Object &node,
                                            BinaryBuilder build, Value lhs,
                                            Value rhs,
                                            const json::Object *lhsSide,
                                            const json::Object *rhsSide) {
  if (failed(numbersLike(node, lhs, rhs, lhsSide, rhsSide)))
    return failure();
  Location at = loc(node);
  Type element = cast<TensorType>(lhs.getType()).getElementType();

  bool integers = element.isInteger(32) || element.isInteger(64);
  // The builders are compared by address: one instance of each template.
  if (integers && (build == binaryOp("Pow") || build == binaryOp("MatMult")))
    return error(node, "'" + source(node) +
                           "': " + (build == binaryOp("Pow") ? "**" : "@") +
                           " on " + typeText(lhs.getType()) +
                           " is not converted: tf.cast the operands to "
                           "tf.float32");
  if (build == binaryOp("MatMult"))
    for (Value v : {lhs, rhs})
      if (auto ranked = dyn_cast<RankedTensorType>(v.getType());
          ranked && ranked.getRank() == 0)
        return error(node, "'" + source(node) + "': an operand of @ (" +
                               typeText(v.getType()) +
                               ") is a scalar; matmul needs at least 1 axis "
                               "(numpy raises ValueError): multiply by a "
                               "number with *");
  if (integers && build == binaryOp("Div")) {
    // True division of integers is a float (numpy and TensorFlow: float64;
    // predict computes float32, exact for integers below 2**24).
    for (Value *v : {&lhs, &rhs}) {
      FailureOr<Value> c = typed(CastOp::create(
          builder, at, UnrankedTensorType::get(builder.getF32Type()), *v));
      if (failed(c))
        return failure();
      *v = *c;
    }
  }
  if (integers && (build == binaryOp("FloorDiv") || build == binaryOp("Mod"))) {
    // TensorFlow raises on an integer divisor of 0 (numpy gives 0 and
    // warns): an error now for a constant with a 0, else a run-time check.
    std::string text = "'" + source(node) + "': integer division by zero";
    // Under a branch or in a loop decided at run time the division may never
    // run (tf.cond runs the branch taken): a divisor known to hold a 0 is
    // then a run-time error where it runs, not an error at import.
    auto mayNotRun = [&] {
      for (Operation *op = builder.getInsertionBlock()->getParentOp(); op;
           op = op->getParentOp())
        if (isa<scf::IfOp, scf::ForOp, scf::WhileOp, ForOp>(op))
          return true;
      return false;
    };
    auto raises = [&]() -> FailureOr<Value> {
      if (!mayNotRun())
        return error(node, text + " (TensorFlow raises)");
      AssertOp::create(builder, at,
                       arith::ConstantIntOp::create(builder, at, 0, 1),
                       builder.getStringAttr(braces(text + " (TensorFlow "
                                                           "raises)")),
                       ValueRange{});
      return typed(build(builder, at, lhs, rhs));
    };
    auto constant = rhs.getDefiningOp<ConstantOp>();
    if (auto divisors = constant ? dyn_cast<DenseIntElementsAttr>(
                                       constant.getValue())
                                 : DenseIntElementsAttr()) {
      if (llvm::any_of(divisors.getValues<llvm::APInt>(),
                       [](const llvm::APInt &d) { return d.isZero(); }))
        return raises();
      return typed(build(builder, at, lhs, rhs));
    }
    auto zeroType = RankedTensorType::get({}, element);
    Value zero = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(zeroType, builder.getZeroAttr(element)));
    FailureOr<Value> nonZero = typed(CompareOp::create(
        builder, at, UnrankedTensorType::get(builder.getI1Type()),
        CompareKindAttr::get(context, CompareKind::ne), rhs, zero));
    FailureOr<Value> noZero =
        failed(nonZero) ? FailureOr<Value>(failure()) : allOf(*nonZero, at);
    if (failed(noZero))
      return failure();
    FailureOr<Condition> c = truth(PyValue::tensor(*noZero), node, text);
    if (failed(c))
      return failure();
    if (c->known && !*c->known)
      return raises();
    if (!c->known)
      AssertOp::create(builder, at, c->value,
                       builder.getStringAttr(braces(text + " (TensorFlow "
                                                           "raises)")),
                       ValueRange{});
  }
  return typed(build(builder, at, lhs, rhs));
}

std::optional<json::Array>
ProgramBuilder::knownRange(const json::Object &iter) {
  const json::Object *func = iter.getObject("func");
  const json::Array &args = arrayOr(iter.getArray("args"));
  if (kindOf(iter) != "Call" || kindOf(func) != "Name" ||
      func->getString("id") != "range" || func->getString("qualified") ||
      scope->env.count("range") || args.empty() || args.size() > 3 ||
      !arrayOr(iter.getArray("keywords")).empty())
    return std::nullopt;
  int64_t bounds[3] = {0, 0, 1};
  for (auto [i, a] : llvm::enumerate(args)) {
    const json::Object *o = a.getAsObject();
    std::optional<int64_t> v = o ? importInteger(*o) : std::nullopt;
    if (!v)
      return std::nullopt;
    bounds[args.size() == 1 ? 1 : i] = *v;
  }
  auto [start, stop, step] = bounds;
  if (step == 0)
    return std::nullopt; // Python's ValueError, reported by the loop
  json::Array values;
  for (int64_t k = start; step > 0 ? k < stop : k > stop;) {
    if (values.size() == 256)
      return std::nullopt; // a long one stays a compiled loop
    values.push_back(located(
        json::Object{{"node", "Constant"},
                     {"value", json::Object{{"int", std::to_string(k)}}}},
        iter));
    if (llvm::AddOverflow(k, step, k))
      break; // past INT64's end: past `stop` too
  }
  return values;
}

std::optional<FailureOr<PyValue>>
ProgramBuilder::listComprehension(const json::Object &node) {
  // `[f(r) for r in range(n) if c(r)]` is the loop `lst = []; for r in
  // range(n): if c(r): lst.append(f(r))` (a list built by one loop, its
  // appends under the `if`s: several are nested, as Python tests them in
  // order), its variables local to it as in Python 3. Several `for`s are
  // loops nested in order, each with its `if`s (`[f(a, b) for a in A for
  // b in B]`): converted where the loop machinery takes them (loops
  // unrolled at import, or the innermost one compiled).
  const json::Array *generators = node.getArray("generators");
  if (!generators || generators->empty() || !node.get("elt"))
    return std::nullopt;
  // The names the targets bind (`r`, `i, r` of enumerate and zip).
  SmallVector<std::string> vars;
  for (const json::Value &g : *generators) {
    const json::Object *gen = g.getAsObject();
    const json::Object *target = gen ? gen->getObject("target") : nullptr;
    const json::Value *isAsync = gen ? gen->get("is_async") : nullptr;
    if (!gen || !target || !gen->get("iter") ||
        (isAsync && isAsync->getAsInteger().value_or(0) != 0 &&
         isAsync->getAsBoolean().value_or(true)))
      return std::nullopt;
    if (kindOf(*target) == "Name") {
      vars.push_back(target->getString("id").value_or("").str());
    } else if (kindOf(*target) == "Tuple") {
      for (const json::Value &e : arrayOr(target->getArray("elts"))) {
        const json::Object *n = e.getAsObject();
        if (!n || kindOf(*n) != "Name")
          return std::nullopt;
        vars.push_back(n->getString("id").value_or("").str());
      }
    } else {
      return std::nullopt;
    }
  }
  std::string list = "$comprehension" + std::to_string(synthesized.size());
  json::Object name{{"node", "Name"}, {"id", list}};
  auto at = [&](json::Object o) { return located(std::move(o), node); };
  json::Object make = at(json::Object{
      {"node", "Assign"},
      {"targets", json::Array{json::Object(name)}},
      {"value", at(json::Object{{"node", "List"}, {"elts", json::Array()}})}});
  json::Object append =
      at(json::Object{{"node", "Call"},
                      {"func", json::Object{{"node", "Attribute"},
                                            {"value", json::Object(name)},
                                            {"attr", "append"}}},
                      {"args", json::Array{*node.get("elt")}},
                      {"keywords", json::Array()}});
  json::Array body{
      at(json::Object{{"node", "Expr"}, {"value", std::move(append)}})};
  // From the innermost `for` out: its `if`s (innermost last), then the
  // loop around them.
  json::Object loop;
  for (const json::Value &g : llvm::reverse(*generators)) {
    const json::Object *gen = g.getAsObject();
    for (const json::Value &test :
         llvm::reverse(arrayOr(gen->getArray("ifs")))) {
      json::Object branch = at(json::Object{{"node", "If"},
                                            {"test", test},
                                            {"body", std::move(body)},
                                            {"orelse", json::Array()}});
      if (const json::Object *t = test.getAsObject())
        branch = located(std::move(branch), *t);
      body = json::Array{std::move(branch)};
    }
    // A `range` of bounds known at import after the first `for` is the
    // tuple of its values (`for i in range(2)`: `(0, 1)`), unrolled at
    // import as Python runs it, so that the list is built by at most one
    // compiled loop.
    json::Value iter = *gen->get("iter");
    if (&g != &generators->front())
      if (std::optional<json::Array> values =
              knownRange(*gen->getObject("iter")))
        iter = located(
            json::Object{{"node", "Tuple"}, {"elts", std::move(*values)}},
            *gen->getObject("iter"));
    loop = at(json::Object{{"node", "For"},
                           {"target", json::Object(*gen->getObject("target"))},
                           {"iter", std::move(iter)},
                           {"body", std::move(body)},
                           {"orelse", json::Array()}});
    body = json::Array{json::Object(loop)};
  }
  SmallVector<std::optional<PyValue>> before;
  for (const std::string &var : vars) {
    auto it = scope->env.find(var);
    before.push_back(it != scope->env.end() ? std::optional(it->second)
                                            : std::nullopt);
  }
  if (failed(statement(synthesize(std::move(make)))) ||
      failed(statement(synthesize(std::move(loop)))))
    return FailureOr<PyValue>(failure());
  PyValue result = scope->env[list];
  scope->env.erase(list);
  for (auto [var, was] : llvm::zip_equal(vars, before)) {
    scope->loopLocals.erase(var);
    if (was)
      scope->env[var] = *was;
    else
      scope->env.erase(var);
  }
  return FailureOr<PyValue>(result);
}
