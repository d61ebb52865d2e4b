//===- EinsumDenseLayer.cpp - EinsumDense as transposes and one matmul ----===//
//
// keras.layers.EinsumDense(equation, output_shape, activation=None,
//   bias_axes=None, kernel_initializer="glorot_uniform",
//   bias_initializer="zeros", ...)
// https://keras.io/api/layers/core_layers/einsum_dense/
//
// y = einsum(equation, x, kernel) + bias, then the activation. predict
// computes the equations whose input starts with the batch letter (first in
// the output too, never in the kernel) and whose other letters are each
// summed (in the input and the kernel, not the output) or free (in the
// input or the kernel, and the output): the input is transposed to batch,
// free, summed (predict.transpose) and reshaped to N x M x K, multiplied
// (predict.dense) by the kernel rearranged when importing to K x F, and
// the product reshaped and transposed to the output's order. A letter of
// the input, the kernel and the output at once (a batch of kernels), an
// ellipsis, and a letter summed over one operand only are refused.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::keras;
namespace json = llvm::json;

namespace {

constexpr LayerParam kEinsumDenseParams[] = {
    {"equation", ""},
    {"output_shape", ""},
    {"activation", "null"},
    {"bias_axes", "null"},
    {"kernel_initializer", "\"glorot_uniform\"", ParamRole::Initializer},
    {"bias_initializer", "\"zeros\"", ParamRole::Initializer},
    {"kernel_regularizer", "null", ParamRole::Ignored},
    {"bias_regularizer", "null", ParamRole::Ignored},
    {"activity_regularizer", "null", ParamRole::Ignored},
    {"kernel_constraint", "null", ParamRole::Ignored},
    {"bias_constraint", "null", ParamRole::Ignored},
};

llvm::SmallVector<llvm::StringRef> einsumWeights(LayerConfig &config) {
  if (config.has("bias_axes"))
    return {"kernel", "bias"};
  return {"kernel"};
}

std::string sizesText(llvm::ArrayRef<int64_t> shape) {
  return "(" +
         llvm::join(llvm::map_range(shape,
                                    [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         ")";
}

/// The equation's three terms, and each letter's role.
struct Equation {
  std::string input, kernel, output;
  /// Letters of the input and the output (not the kernel), in the output's
  /// order; of the kernel and the output, in the output's order; of the
  /// input and the kernel (summed), in the kernel's order.
  std::string inputFree, kernelFree, summed;
};

/// Keras's equation as predict computes it, or the reason it does not.
llvm::Expected<Equation> parseEquation(LayerContext &call,
                                       llvm::StringRef text) {
  std::string eq;
  for (char c : text)
    if (c != ' ')
      eq += c;
  auto refuse = [&](const llvm::Twine &why) {
    return call.fail("has equation '" + eq + "', " + why +
                     " (predict computes equations such as 'ab,bc->ac', "
                     "'abc,cd->abd', 'abc,cde->abde': the input's first "
                     "letter the batch, each other letter summed or free)");
  };
  if (llvm::StringRef(eq).contains("..."))
    return refuse("which has an ellipsis");
  auto [inputs, output] = llvm::StringRef(eq).split("->");
  auto [input, kernel] = inputs.split(',');
  if (!llvm::StringRef(eq).contains("->") || kernel.empty() ||
      kernel.contains(','))
    return refuse("which is not 'input,kernel->output'");
  Equation e{input.str(), kernel.str(), output.str(), "", "", ""};
  for (llvm::StringRef term : {input, kernel, output})
    for (size_t i = 0; i < term.size(); ++i)
      if (!llvm::isAlpha(term[i]) ||
          term.find(term[i], i + 1) != llvm::StringRef::npos)
        return refuse("whose terms are not distinct letters");
  if (input.empty() || output.empty() || output[0] != input[0] ||
      kernel.contains(input[0]))
    return refuse("whose input and output do not start with the batch "
                  "letter, or whose kernel has it");
  for (char c : input.drop_front()) {
    bool inKernel = kernel.contains(c), inOutput = output.contains(c);
    if (inKernel && inOutput)
      return refuse(std::string("in which '") + c +
                    "' is in the input, the kernel and the output");
    if (!inKernel && !inOutput)
      return refuse(std::string("in which '") + c +
                    "' is summed over the input only");
  }
  for (char c : kernel)
    if (!input.contains(c) && !output.contains(c))
      return refuse(std::string("in which '") + c +
                    "' is summed over the kernel only");
    else if (input.contains(c))
      e.summed += c;
  for (char c : output.drop_front()) {
    if (input.contains(c))
      e.inputFree += c;
    else if (kernel.contains(c))
      e.kernelFree += c;
    else
      return refuse(std::string("in which '") + c +
                    "' of the output is in neither operand");
  }
  return e;
}

llvm::Expected<Value> buildEinsumDense(LayerContext &call) {
  LayerConfig &fields = call.config;
  Activation act = activationField(fields);
  std::string equationText = fields.string("equation", "");
  const json::Value *outputField = fields.get("output_shape");
  std::string biasAxes =
      fields.has("bias_axes") ? fields.string("bias_axes", "") : "";
  if (llvm::Error e = fields.takeError())
    return std::move(e);
  auto eq = parseEquation(call, equationText);
  if (!eq)
    return eq.takeError();
  auto in = dyn_cast<RankedTensorType>(call.input().getType());
  if (!in || in.getRank() != int64_t(eq->input.size()) ||
      llvm::any_of(in.getShape().drop_front(), ShapedType::isDynamic))
    return call.fail("has equation '" + equationText + "', which needs an "
                     "input of rank " + llvm::Twine(eq->input.size()) +
                     " whose sizes but the batch are known");
  // The output's sizes but the batch: output_shape (an int, or a list whose
  // nulls are the input's sizes of those letters).
  llvm::SmallVector<std::optional<int64_t>> given;
  if (outputField && outputField->getAsInteger()) {
    given.push_back(*outputField->getAsInteger());
  } else if (const json::Array *list =
                 outputField ? outputField->getAsArray() : nullptr) {
    for (const json::Value &v : *list)
      if (v.kind() == json::Value::Null)
        given.push_back(std::nullopt);
      else if (auto i = v.getAsInteger(); i && *i > 0)
        given.push_back(*i);
      else
        return call.fail("has output_shape " + shown(*outputField) +
                         ": expected positive integers or nulls");
  } else {
    return call.fail("has output_shape " +
                     (outputField ? shown(*outputField) : "missing") +
                     ": expected an integer or a list of them");
  }
  if (given.size() + 1 != eq->output.size())
    return call.fail("has output_shape " + shown(*outputField) + " of " +
                     llvm::Twine(given.size()) + " entries; its equation's "
                     "output '" + eq->output + "' needs " +
                     llvm::Twine(eq->output.size() - 1) +
                     " (the batch left out)");
  llvm::DenseMap<char, int64_t> size;
  for (auto [i, c] : llvm::enumerate(eq->input))
    if (i > 0)
      size[c] = in.getDimSize(i);
  for (auto [i, c] : llvm::enumerate(llvm::StringRef(eq->output).drop_front())) {
    if (given[i] && size.count(c) && size[c] != *given[i])
      return call.fail("has output_shape " + shown(*outputField) +
                       ", whose size " + llvm::Twine(*given[i]) + " for '" +
                       llvm::Twine(c) + "' is not the input's " +
                       llvm::Twine(size[c]));
    if (!given[i] && !size.count(c))
      return call.fail("has output_shape " + shown(*outputField) +
                       " with no size for '" + llvm::Twine(c) +
                       "', which is not the input's");
    if (given[i])
      size[c] = *given[i];
  }
  for (char c : biasAxes)
    if (!llvm::StringRef(eq->output).drop_front().contains(c))
      return call.fail("has bias_axes '" + biasAxes + "', whose '" +
                       llvm::Twine(c) +
                       "' is not a letter of the output but the batch");

  // The kernel as the file holds it (the kernel term's sizes), rearranged
  // to summed x free.
  llvm::SmallVector<int64_t> kshape;
  for (char c : eq->kernel)
    kshape.push_back(size[c]);
  auto kernel = call.array("kernel", kshape);
  if (!kernel)
    return kernel.takeError();
  if (llvm::ArrayRef<int64_t>(kernel->shape) != llvm::ArrayRef(kshape))
    return call.fail("has a kernel of shape " + sizesText(kernel->shape) +
                     " but its equation, output_shape and input need " +
                     sizesText(kshape));
  int64_t K = 1, F = 1, M = 1;
  for (char c : eq->summed)
    K *= size[c];
  for (char c : eq->kernelFree)
    F *= size[c];
  for (char c : eq->inputFree)
    M *= size[c];
  WeightArray matrix;
  matrix.shape = {K, F};
  matrix.data.resize(kernel->data.size());
  {
    // Strides of the file's kernel, per letter.
    llvm::DenseMap<char, int64_t> stride;
    int64_t s = 1;
    for (char c : llvm::reverse(eq->kernel)) {
      stride[c] = s;
      s *= size[c];
    }
    std::string order = eq->summed + eq->kernelFree;
    llvm::SmallVector<int64_t> index(order.size(), 0);
    for (float &out : matrix.data) {
      int64_t at = 0;
      for (auto [i, c] : llvm::enumerate(order))
        at += index[i] * stride[c];
      out = kernel->data[at];
      for (int64_t i = order.size() - 1; i >= 0; --i) {
        if (++index[i] < size[order[i]])
          break;
        index[i] = 0;
      }
    }
  }

  MLIRContext *ctx = call.getContext();
  Builder b(ctx);
  Type unranked = UnrankedTensorType::get(Float32Type::get(ctx));
  auto transpose = [&](Value v, llvm::StringRef have,
                       llvm::StringRef want) -> llvm::Expected<Value> {
    llvm::SmallVector<int64_t> perm;
    for (char c : want)
      perm.push_back(have.find(c));
    if (llvm::equal(perm, llvm::seq<int64_t>(0, int64_t(perm.size()))))
      return v;
    return call.typed(TransposeOp::create(call.body, call.loc, unranked, v,
                                          b.getDenseI64ArrayAttr(perm)));
  };
  auto reshape = [&](Value v,
                     llvm::ArrayRef<int64_t> shape) -> llvm::Expected<Value> {
    return call.typed(ReshapeOp::create(call.body, call.loc, unranked, v,
                                        b.getDenseI64ArrayAttr(shape)));
  };
  std::string batch(1, eq->input[0]);
  auto x = transpose(call.input(), eq->input,
                     batch + eq->inputFree + eq->summed);
  if (!x)
    return x.takeError();
  // N x M x K (N x K without free input letters), contracted on its last
  // axis by predict.dense.
  auto rows = eq->inputFree.empty() ? reshape(*x, {K}) : reshape(*x, {M, K});
  if (!rows)
    return rows.takeError();
  Value k =
      ConstantOp::create(call.body, call.loc,
                         call.weightAttr("kernel", std::move(matrix), {K, F}));
  auto product = call.typed(DenseOp::create(
      call.body, call.loc, unranked, *rows, k, Value(),
      ActivationKindAttr::get(ctx, ActivationKind::linear)));
  if (!product)
    return product.takeError();
  llvm::SmallVector<int64_t> freeSizes;
  for (char c : eq->inputFree + eq->kernelFree)
    freeSizes.push_back(size[c]);
  auto y = reshape(*product, freeSizes);
  if (!y)
    return y.takeError();
  y = transpose(*y, batch + eq->inputFree + eq->kernelFree, eq->output);
  if (!y)
    return y.takeError();
  if (!biasAxes.empty()) {
    // Keras's bias shape: the output's sizes from its first bias letter
    // on, 1 where the letter is not a bias axis (broadcast on the rest).
    size_t first = eq->output.size();
    for (char c : biasAxes)
      first = std::min(first, eq->output.find(c));
    llvm::SmallVector<int64_t> bshape;
    for (char c : llvm::StringRef(eq->output).drop_front(first))
      bshape.push_back(llvm::StringRef(biasAxes).contains(c) ? size[c] : 1);
    auto bias = call.array("bias", bshape);
    if (!bias)
      return bias.takeError();
    if (llvm::ArrayRef<int64_t>(bias->shape) != llvm::ArrayRef(bshape))
      return call.fail("has a bias of shape " + sizesText(bias->shape) +
                       " but its bias_axes and output need " +
                       sizesText(bshape));
    Value bv = ConstantOp::create(
        call.body, call.loc, call.weightAttr("bias", std::move(*bias), bshape));
    y = call.typed(AddOp::create(call.body, call.loc, unranked, ValueRange{*y, bv}));
    if (!y)
      return y.takeError();
  }
  return applyActivation(call, *y, act);
}

} // namespace

llvm::ArrayRef<LayerEntry> keras::einsumDenseLayers() {
  static const LayerEntry entries[] = {
      {"EinsumDense", "https://keras.io/api/layers/core_layers/einsum_dense/",
       kEinsumDenseParams, einsumWeights, buildEinsumDense},
  };
  return entries;
}
