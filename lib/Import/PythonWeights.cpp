//===- PythonWeights.cpp - weights of Python source: drawn, read, dumped --===//
//
// A layer's weights are sized by its registry entry once its input type is
// known, then drawn from --seed as its initializer says, or read from
// --weights: an .npz keyed `<attribute>/<weight>` (`<model>/<attribute>/
// <weight>` when the program calls several models), or a Keras weights file
// of the model (Keras 3's .weights.h5 or .keras, Keras 2's .h5), whose
// variables PythonKerasWeights.cpp places. --dump-weights writes the weights
// used, keyed as an .npz given to --weights.
//
// Drawn weights: Glorot-uniform kernels take their numbers from a Mersenne
// Twister (MT19937) seeded as Python's `random.Random(seed)` seeds it
// (init_by_array of the seed's 32-bit words), each number as
// `random.uniform(-limit, limit)` makes it from 53 random bits, rounded to
// float32; the layers draw in the order the program first calls them, and
// each layer in the order its entry asks for its weights. So the same seed
// gives the same weights, on every machine. Orthogonal kernels (the
// recurrent layers') are Keras's Orthogonal made from `random.gauss(0, 1)`
// numbers: not Keras's own draw (no seeded draw here is), but orthogonal.
//
//===----------------------------------------------------------------------===//

#include "H5.h"
#include "Layers/Layers.h"
#include "PythonBuilder.h"
#include "Zip.h"
#include "predict/Support/InputFiles.h"
#include "predict/Support/Npy.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <zip.h>

#include <cmath>
#include <cstring>
#include <map>
#include <optional>

using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::python;

namespace {

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Python's `random.Random(seed)`: MT19937, seeded by init_by_array.
class PythonRandom {
public:
  explicit PythonRandom(uint64_t seed) {
    SmallVector<uint32_t> key;
    for (; seed; seed >>= 32)
      key.push_back(uint32_t(seed));
    if (key.empty())
      key.push_back(0);
    initByArray(key);
  }
  /// `random.random()`: 53 random bits in [0, 1).
  double random() {
    uint32_t a = next() >> 5, b = next() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }
  /// `random.uniform(a, b)`.
  double uniform(double a, double b) { return a + (b - a) * random(); }
  /// `random.gauss(0, 1)`: Box-Muller, the second number of a pair kept
  /// for the next call, as CPython computes it.
  double gauss() {
    if (gaussNext) {
      double z = *gaussNext;
      gaussNext.reset();
      return z;
    }
    double x2pi = random() * 2 * M_PI;
    double g2rad = std::sqrt(-2.0 * std::log(1.0 - random()));
    gaussNext = std::sin(x2pi) * g2rad;
    return std::cos(x2pi) * g2rad;
  }

private:
  static constexpr int N = 624, M = 397;
  std::optional<double> gaussNext;
  uint32_t mt[N];
  int index = N + 1;

  void initGenrand(uint32_t s) {
    mt[0] = s;
    for (int i = 1; i < N; ++i)
      mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + uint32_t(i);
    index = N;
  }
  void initByArray(ArrayRef<uint32_t> key) {
    initGenrand(19650218u);
    int i = 1;
    size_t j = 0;
    for (size_t k = std::max<size_t>(N, key.size()); k; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] +
              uint32_t(j);
      ++i;
      ++j;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.size())
        j = 0;
    }
    for (int k = N - 1; k; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) -
              uint32_t(i);
      ++i;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000u;
  }
  uint32_t next() {
    static const uint32_t mag01[2] = {0, 0x9908b0dfu};
    if (index >= N) {
      int k = 0;
      for (; k < N - M; ++k) {
        uint32_t y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
        mt[k] = mt[k + M] ^ (y >> 1) ^ mag01[y & 1];
      }
      for (; k < N - 1; ++k) {
        uint32_t y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
        mt[k] = mt[k + (M - N)] ^ (y >> 1) ^ mag01[y & 1];
      }
      uint32_t y = (mt[N - 1] & 0x80000000u) | (mt[0] & 0x7fffffffu);
      mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag01[y & 1];
      index = 0;
    }
    uint32_t y = mt[index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
  }
};

/// `n` bytes for a message: 16 TiB, 1.5 GiB, 300 B.
std::string byteSize(uint64_t n) {
  static const std::pair<const char *, uint64_t> units[] = {
      {"TiB", uint64_t(1) << 40},
      {"GiB", uint64_t(1) << 30},
      {"MiB", uint64_t(1) << 20},
      {"KiB", uint64_t(1) << 10}};
  for (const auto &[unit, size] : units)
    if (n >= size) {
      double value = double(n) / double(size);
      std::string text;
      llvm::raw_string_ostream os(text);
      if (value == std::floor(value) || value >= 100)
        os << llvm::format("%.0f", value);
      else
        os << llvm::format("%.1f", value);
      return text + " " + unit;
    }
  return std::to_string(n) + " B";
}

/// A numpy .npy member: float32 or float64, as float32 in C order. A
/// Fortran-order member (what np.savez writes for a transposed array, `W.T`)
/// is reordered: element (i0, ..., in-1) is at offset sum(ik * strideK) with
/// strides growing from the first axis (numpy.lib.format).
llvm::Expected<keras::WeightArray> parseNpy(llvm::StringRef data,
                                            llvm::StringRef key) {
  auto array = npy::parse(data, "'" + key.str() + "'");
  if (!array)
    return fail(llvm::toString(array.takeError()));
  const npy::Header &header = array->header;
  if (header.descr != "<f4" && header.descr != "<f8")
    return fail("'" + key + "' is " + header.descr +
                "; expected float32 or float64");
  size_t width = header.descr == "<f4" ? 4 : 8;
  uint64_t count = header.elementCount();
  if (array->data.size() / width < count)
    return fail("'" + key + "' holds fewer values than its shape");
  keras::WeightArray result;
  result.shape.assign(header.shape.begin(), header.shape.end());
  result.data.resize(count);
  const char *bytes = array->data.data();
  auto valueAt = [&](uint64_t i) -> float {
    if (width == 4) {
      float f;
      std::memcpy(&f, bytes + 4 * i, 4);
      return f;
    }
    double d;
    std::memcpy(&d, bytes + 8 * i, 8);
    return float(d); // beyond float32's range: inf, as numpy's astype
  };
  if (!header.fortranOrder) {
    for (uint64_t i = 0; i < count; ++i)
      result.data[i] = valueAt(i);
    return result;
  }
  // Walk the C-order index, keeping its Fortran offset up to date.
  size_t rank = header.shape.size();
  SmallVector<uint64_t> index(rank, 0), stride(rank, 1);
  for (size_t k = 1; k < rank; ++k)
    stride[k] = stride[k - 1] * uint64_t(header.shape[k - 1]);
  uint64_t offset = 0;
  for (uint64_t i = 0; i < count; ++i) {
    result.data[i] = valueAt(offset);
    for (size_t k = rank; k-- > 0;) {
      offset += stride[k];
      if (++index[k] < uint64_t(header.shape[k]))
        break;
      offset -= stride[k] * index[k];
      index[k] = 0;
    }
  }
  return result;
}

/// The arrays of an .npz (numpy.savez, compressed or not), sized from the
/// archive's directory before any is inflated: more than `limit` bytes in
/// all (doubled for float64) is an error, not a zip bomb.
llvm::Error readNpz(llvm::StringRef path, uint64_t limit,
                    llvm::StringMap<keras::WeightArray> &out,
                    std::vector<std::string> &order) {
  int code = 0;
  ::zip_t *z = zip_open(path.str().c_str(), ZIP_RDONLY, &code);
  if (!z) {
    if (code == ZIP_ER_NOZIP)
      return fail("File is not a zip file");
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string message = zip_error_strerror(&e);
    zip_error_fini(&e);
    return fail(message);
  }
  llvm::scope_exit close([&] { zip_discard(z); });
  zip_int64_t n = zip_get_num_entries(z, 0);
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(z, i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
      total += st.size;
  }
  if (total > 2 * limit)
    return fail("its arrays hold " + byteSize(total) +
                ", more than the limit of " + byteSize(limit) +
                " for a model's weights (raise it with --max-weights-mib=N)");
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      return fail("an entry cannot be read");
    llvm::StringRef name = st.name;
    std::string data(st.size, '\0');
    ::zip_file_t *f = zip_fopen_index(z, i, 0);
    if (!f || zip_fread(f, data.data(), st.size) != zip_int64_t(st.size)) {
      if (f)
        zip_fclose(f);
      return fail("'" + name + "' cannot be read");
    }
    zip_fclose(f);
    std::string key = name.str();
    if (llvm::StringRef(key).ends_with(".npy"))
      key.resize(key.size() - 4);
    auto array = parseNpy(data, key);
    if (!array)
      return array.takeError();
    out[key] = std::move(*array);
    order.push_back(key);
  }
  return llvm::Error::success();
}

/// Every `.../vars/<i>` dataset under `path` of a Keras 3 `.weights.h5`,
/// by its path without the leading slash.
llvm::Error collectVars(h5::File &file, const std::string &path, int depth,
                        llvm::StringMap<keras::WeightArray> &out) {
  if (depth > 16) // deeper than any Keras model; a cycle of links
    return fail("'" + file.path() + "' nests groups deeper than 16 at '" +
                path + "'");
  for (const std::string &child : file.children(path)) {
    std::string childPath = path == "/" ? "/" + child : path + "/" + child;
    if (child != "vars") {
      if (llvm::Error e = collectVars(file, childPath, depth + 1, out))
        return e;
      continue;
    }
    for (const std::string &var : file.children(childPath)) {
      auto array = file.takeArray(childPath + "/" + var);
      if (!array)
        return array.takeError();
      out[childPath.substr(1) + "/" + var] = keras::WeightArray{
          SmallVector<int64_t>(array->shape.begin(), array->shape.end()),
          std::move(array->data)};
    }
  }
  return llvm::Error::success();
}

/// The initializers `drawn` knows, for messages.
constexpr const char *kDrawnInitializers =
    "glorot_uniform, orthogonal, random_normal, random_uniform (uniform), "
    "ones, zeros";

/// A weight of `shape` drawn as Keras's initializer `init` draws it, from
/// Python's random numbers (the file's comment); std::nullopt for an
/// initializer predict does not draw.
std::optional<keras::WeightArray> drawn(PythonRandom &random,
                                        llvm::StringRef init,
                                        llvm::ArrayRef<int64_t> shape) {
  // Keras's other names of these (keras.initializers.get): a class name,
  // an alias, an object made without arguments (`keras.initializers.Ones()`,
  // its source text).
  if (init.consume_back("()") && init.contains('.'))
    init = init.rsplit('.').second;
  init = llvm::StringSwitch<llvm::StringRef>(init)
             .Cases({"Ones", "one"}, "ones")
             .Cases({"Zeros", "zero"}, "zeros")
             .Case("GlorotUniform", "glorot_uniform")
             .Cases({"RandomNormal", "normal"}, "random_normal")
             .Cases({"RandomUniform", "uniform"}, "random_uniform")
             .Case("Orthogonal", "orthogonal")
             .Default(init);
  keras::WeightArray array;
  array.shape.assign(shape.begin(), shape.end());
  size_t count = 1;
  for (int64_t d : shape)
    count *= size_t(d);
  if (init == "zeros" || init == "ones") {
    array.data.assign(count, init == "ones" ? 1.0f : 0.0f);
    return array;
  }
  if (init == "random_uniform") {
    // Keras's RandomUniform with its defaults (Embedding's "uniform").
    array.data.resize(count);
    for (float &w : array.data)
      w = float(random.uniform(-0.05, 0.05));
    return array;
  }
  if (init == "standard_normal" || init == "standard_uniform") {
    // tf.random.normal and tf.random.uniform with their defaults (a
    // tf.Variable's initial value): N(0, 1), U(0, 1).
    array.data.resize(count);
    for (float &w : array.data)
      w = float(init == "standard_normal" ? random.gauss() : random.random());
    return array;
  }
  if (init == "random_normal") {
    // Keras's RandomNormal with its defaults: mean 0, stddev 0.05.
    array.data.resize(count);
    for (float &w : array.data)
      w = float(0.05 * random.gauss());
    return array;
  }
  if (init == "glorot_uniform") {
    // Keras's fans: a kernel's rows and columns, times the receptive
    // field of a convolution's (the leading axes); 1 and 1 for a scalar.
    int64_t receptive = 1;
    for (int64_t d : shape.drop_back(std::min<size_t>(2, shape.size())))
      receptive *= d;
    double fanIn = shape.empty()       ? 1
                   : shape.size() == 1 ? shape[0]
                                       : shape[shape.size() - 2];
    double fanOut = shape.empty() ? 1 : shape.back();
    fanIn *= receptive;
    fanOut *= receptive;
    double limit = std::sqrt(6.0 / (fanIn + fanOut));
    array.data.resize(count);
    for (float &w : array.data)
      w = float(random.uniform(-limit, limit));
    return array;
  }
  if (init == "orthogonal" && shape.size() >= 2) {
    // Keras's Orthogonal (gain 1): a normal `max(r, c) x min(r, c)`
    // matrix (r the product of the leading axes, c the last), its QR
    // factor Q with the signs that make R's diagonal positive, transposed
    // when r < c. The normals are `random.gauss(0, 1)` row by row; Q by
    // modified Gram-Schmidt (the unique Q of a positive diagonal).
    int64_t cols = shape.back(),
            rows = int64_t(count) / std::max<int64_t>(cols, 1);
    int64_t n = std::max(rows, cols), k = std::min(rows, cols);
    std::vector<double> a(size_t(n * k));
    for (double &v : a)
      v = random.gauss();
    for (int64_t j = 0; j < k; ++j) {
      for (int64_t p = 0; p < j; ++p) {
        double dot = 0;
        for (int64_t i = 0; i < n; ++i)
          dot += a[i * k + p] * a[i * k + j];
        for (int64_t i = 0; i < n; ++i)
          a[i * k + j] -= dot * a[i * k + p];
      }
      double norm = 0;
      for (int64_t i = 0; i < n; ++i)
        norm += a[i * k + j] * a[i * k + j];
      norm = std::sqrt(norm);
      for (int64_t i = 0; i < n; ++i)
        a[i * k + j] = norm > 0 ? a[i * k + j] / norm : 0.0;
    }
    array.data.resize(count);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        array.data[size_t(r * cols + c)] =
            float(rows >= cols ? a[r * k + c] : a[c * k + r]);
    return array;
  }
  return std::nullopt;
}

} // namespace

/// The weights of the program: those given with --weights, the generator
/// of drawn ones, and those used, for --dump-weights.
class mlir::predict::python::WeightStore {
public:
  explicit WeightStore(uint64_t seed) : random(seed) {}

  /// Whether --weights gave a file: its arrays by key (`d/kernel`).
  bool haveGiven = false;
  llvm::StringMap<keras::WeightArray> given;
  /// A Keras 3 .weights.h5's variables by HDF5 path, until the model maps
  /// them to its attributes (into `given`).
  bool keras = false;
  llvm::StringMap<keras::WeightArray> kerasVars;
  /// A Keras 2 .h5 (save_weights, or model.save's `model_weights`): its
  /// `layer_names` in order, each with its weights in its `weight_names`
  /// order, until the model maps them by position, as Keras 2's
  /// load_weights does.
  struct Keras2Group {
    std::string name;
    std::vector<std::pair<std::string, keras::WeightArray>> weights;
  };
  bool keras2 = false;
  std::vector<Keras2Group> keras2Groups;
  /// Where a custom layer's own weights are, until it makes them: its
  /// Keras 3 group (`layers/linear`), or its Keras 2 group.
  std::map<const ModelState *, std::string> ownPath;
  std::map<const ModelState *, Keras2Group> ownGroup;
  /// Whether the file's weights were mapped (once, for the program).
  bool mapped = false;
  /// Where a key's variable is (or would be) in that file, for messages.
  llvm::StringMap<std::string> kerasPathOf;
  PythonRandom random;
  /// Bytes of weights so far, against --max-weights-mib.
  uint64_t bytes = 0;
  /// The weights used, by key, in the order they were made, and each
  /// key's position there.
  std::vector<std::pair<std::string, keras::WeightArray>> used;
  llvm::StringMap<size_t> usedAt;

  /// The array `key` of the given file, taken out of it; else the reason
  /// (`the weights file has no 'd/kernel' (...)`) for the owner's error.
  llvm::Expected<keras::WeightArray> take(llvm::StringRef key,
                                          llvm::ArrayRef<int64_t> expected) {
    auto it = given.find(key);
    if (it == given.end()) {
      // A Keras file's variable is named by its place in the file.
      auto place = kerasPathOf.find(key);
      std::string where = place == kerasPathOf.end()
                              ? ""
                              : "'" + place->second + "' in the file; ";
      return fail("the weights file has no '" + key + "' (" + where +
                  "expected shape " + tupleText(expected) + ")");
    }
    keras::WeightArray array = std::move(it->second);
    given.erase(it);
    return array;
  }

  /// Counts a weight of `shape` against `limit` (--max-weights-mib) before
  /// it is made: false, with `count` and `bytes` its size and `total` all
  /// the weights', when it is past the limit. Saturating: a count beyond
  /// 2^64 is beyond any limit.
  bool reserve(llvm::ArrayRef<int64_t> shape, uint64_t limit, uint64_t &count,
               uint64_t &bytes, uint64_t &total) {
    count = 1;
    bool huge = false;
    for (int64_t d : shape) {
      if (d && count > UINT64_MAX / uint64_t(d))
        huge = true;
      count *= uint64_t(d);
    }
    bytes = huge || count > UINT64_MAX / 4 ? UINT64_MAX : 4 * count;
    total = bytes > UINT64_MAX - this->bytes ? UINT64_MAX : this->bytes + bytes;
    if (total > limit)
      return false;
    this->bytes = total;
    return true;
  }

  void use(std::string key, keras::WeightArray array) {
    usedAt[key] = used.size();
    used.push_back({std::move(key), std::move(array)});
  }
};

ProgramBuilder::ProgramBuilder(MLIRContext *context,
                               const PythonProgramOptions &options)
    : context(context), options(options), builder(context) {}
ProgramBuilder::~ProgramBuilder() = default;

llvm::Error ProgramBuilder::openWeights() {
  weightStore = std::make_unique<WeightStore>(options.seed);
  WeightStore &store = *weightStore;
  llvm::StringRef path = options.weights;
  if (path.empty())
    return llvm::Error::success();
  store.haveGiven = true;
  // Told apart by content, as the Keras importer tells model files apart:
  // an HDF5 file is a Keras 3 `.weights.h5`; a zip holding
  // `model.weights.h5` is a `.keras` archive (model.save), whose weights
  // file is that member (its config.json is not read: the source is the
  // architecture); another zip is numpy's `.npz`.
  std::string h5Path;
  std::optional<llvm::FileRemover> extracted;
  if (startsAsHdf5(path)) {
    h5Path = path.str();
  } else if (startsAsZip(path)) {
    auto archive = zip::Archive::open(path);
    if (!archive)
      return archive.takeError();
    if (archive->contains("model.weights.h5")) {
      auto member = archive->extract("model.weights.h5");
      if (!member)
        return member.takeError();
      extracted.emplace(*member);
      h5Path = *member;
    } else if (archive->contains("config.json") ||
               archive->contains("metadata.json")) {
      return fail("'" + path +
                  "' is a Keras archive without model.weights.h5 (the "
                  "weights of model.save()): give one that holds it, or the "
                  ".weights.h5 of model.save_weights()");
    }
  } else if (path.ends_with(".h5")) {
    h5Path = path.str(); // not HDF5: the HDF5 library says what it is
  }
  if (!h5Path.empty()) {
    auto file =
        h5::File::open(h5Path, {"/optimizer", "/optimizer_weights"},
                       extracted ? (path + " (model.weights.h5)").str() : "");
    if (!file)
      return file.takeError();
    // Keras 2: `layer_names` at the root (save_weights) or in
    // `model_weights` (model.save).
    for (std::string root : {"/", "/model_weights"}) {
      if (!file->hasAttr(root, "layer_names"))
        continue;
      auto names = file->stringListAttr(root, "layer_names");
      if (!names)
        return names.takeError();
      for (const std::string &name : *names) {
        std::string group = (root == "/" ? root : root + "/") + name;
        WeightStore::Keras2Group &g = store.keras2Groups.emplace_back();
        g.name = name;
        if (!file->hasAttr(group, "weight_names"))
          return fail("'" + file->path() + "' lists layer '" + name +
                      "' in layer_names, but its group " + group +
                      " has no weight_names: not a file of Keras 2's "
                      "save_weights");
        auto weights = file->stringListAttr(group, "weight_names");
        if (!weights)
          return weights.takeError();
        for (const std::string &weight : *weights) {
          auto array = file->takeArray(group + "/" + weight);
          if (!array)
            return array.takeError();
          g.weights.push_back(
              {weight,
               keras::WeightArray{SmallVector<int64_t>(array->shape.begin(),
                                                       array->shape.end()),
                                  std::move(array->data)}});
        }
      }
      store.keras2 = true;
      return llvm::Error::success();
    }
    if (llvm::Error e = collectVars(*file, "/", 0, store.kerasVars))
      return e;
    if (store.kerasVars.empty())
      return fail("'" + path +
                  "' holds no Keras variables (groups named 'vars', or "
                  "layer_names of Keras 2): give a file written by "
                  "model.save_weights() or model.save()");
    store.keras = true;
    return llvm::Error::success();
  }
  std::vector<std::string> order;
  if (llvm::Error e = readNpz(path, options.maxWeightBytes, store.given, order))
    return fail("cannot read weights '" + path +
                "': " + llvm::toString(std::move(e)));
  return llvm::Error::success();
}

std::string ProgramBuilder::weightKey(const ModelState &model,
                                      llvm::StringRef attr,
                                      llvm::StringRef name) const {
  // A layer of a held model: `<holder's attribute>/.../<attribute>/...`.
  std::string key =
      model.keyPrefix + attr.str() + (name.empty() ? "" : "/" + name.str());
  if (calledModels > 1)
    return (model.root ? model.root->var : model.var) + "/" + key;
  return key;
}

LogicalResult ProgramBuilder::mapKerasWeights(ModelState &model) {
  WeightStore &store = *weightStore;
  if (!(store.keras || store.keras2) || store.mapped)
    return success();
  store.mapped = true;
  // The file is one model's: the model the program calls that no other
  // model holds (`self.backbone = encoder` holds `encoder`).
  llvm::StringSet<> held;
  for (const std::string &var : calledModelNames)
    for (const json::Value &a :
         *findModel(*program, var)->getArray("attributes"))
      if (a.getAsObject()->getString("kind") == "module_model")
        held.insert(a.getAsObject()->getString("target").value_or(""));
  std::vector<std::string> tops;
  for (const std::string &var : calledModelNames)
    if (!held.contains(var))
      tops.push_back(var);
  if (tops.size() > 1)
    return error(*model.model,
                 "a Keras weights file holds one model's weights, and the "
                 "program calls " +
                     std::to_string(tops.size()) + " models ('" +
                     llvm::join(tops, "', '") +
                     "'): give their weights as an .npz keyed "
                     "<model>/<attribute>/<weight> (--dump-weights writes "
                     "one)");
  ModelState &top = tops.empty() ? model : moduleModelState(tops.front());
  if (store.keras2) {
    FailureOr<std::vector<Keras2Layer>> layers = keras2Layers(top);
    if (failed(layers))
      return failure();
    // Keras 2's load_weights: the model's layers with weights and the
    // file's, matched in order, each layer's weights in order.
    std::vector<WeightStore::Keras2Group *> groups;
    for (WeightStore::Keras2Group &g : store.keras2Groups)
      if (!g.weights.empty())
        groups.push_back(&g);
    auto attrs = [&] {
      std::string list;
      for (const Keras2Layer &l : *layers)
        list += (list.empty() ? "" : ", ") + l.attr;
      return list;
    };
    auto names = [&] {
      std::string list;
      for (WeightStore::Keras2Group *g : groups)
        list += (list.empty() ? "" : ", ") + g->name;
      return list;
    };
    if (groups.size() != layers->size())
      return error(
          *top.model,
          "the Keras 2 weights file has " + std::to_string(groups.size()) +
              " layers with weights (" + names() + "), and '" + top.var +
              "' has " + std::to_string(layers->size()) + " (" + attrs() +
              "): Keras 2's load_weights matches them in order "
              "(Keras raises 'Layer count mismatch'). A layer never "
              "called in Keras has no weights there, which predict does "
              "not tell: give the file of this model, a Keras 3 file or "
              "an .npz");
    for (auto [layer, group] : llvm::zip_equal(*layers, groups)) {
      // A custom layer's own weights: matched when it makes them.
      if (layer.own) {
        store.ownGroup[layer.own] = std::move(*group);
        continue;
      }
      if (group->weights.size() != layer.keys.size())
        return error(*layer.at, "'" + layer.attr + "' has " +
                                    std::to_string(layer.keys.size()) +
                                    " weights, and its layer in the Keras 2 "
                                    "weights file, '" +
                                    group->name + "', has " +
                                    std::to_string(group->weights.size()) +
                                    " (Keras raises 'Weight count "
                                    "mismatch'); give the file of this "
                                    "model");
      for (auto [key, weight] : llvm::zip_equal(layer.keys, group->weights)) {
        store.kerasPathOf[key] = group->name + "/" + weight.first;
        // A layer wrapped again (TimeDistributed(self.d)) is saved with
        // each wrapper: one set of weights.
        if (!store.given.count(key))
          store.given[key] = std::move(weight.second);
      }
    }
    store.keras2Groups.clear();
    return success();
  }
  // Keras 3: each layer's variables at the place the saving walk gives it,
  // in the order the layer creates them (its registry entry's). Keras 3.6
  // and later walk `_private` attributes last; earlier ones in plain sorted
  // order: the walk that finds more of the file's variables is the file's.
  struct Placed {
    std::string key, path;
  };
  auto place = [&](bool privateLast) -> FailureOr<std::vector<Placed>> {
    FailureOr<std::vector<KerasLayer>> layers = keras3Layers(top, privateLast);
    if (failed(layers))
      return failure();
    std::vector<Placed> placed;
    for (const KerasLayer &l : *layers) {
      if (l.own) {
        store.ownPath[l.own] = l.path;
        continue;
      }
      if (!l.layer->entry->weights)
        continue;
      // The layer's variables in order: its own `vars`, or else those of
      // the groups below it where Keras 3 keeps a recurrent layer's or a
      // wrapper's (keras::keras3NestedVars).
      auto numbered = [&](const std::string &group) {
        std::vector<std::string> paths;
        for (size_t i = 0;
             store.kerasVars.count(group + "/" + std::to_string(i)); ++i)
          paths.push_back(group + "/" + std::to_string(i));
        return paths;
      };
      std::vector<std::string> paths = numbered(l.path + "/vars");
      for (const std::vector<llvm::StringRef> &inner :
           keras::keras3NestedVars()) {
        if (!paths.empty())
          break;
        if (llvm::all_of(inner, [&](llvm::StringRef g) {
              return !numbered(l.path + g.str()).empty();
            }))
          for (llvm::StringRef g : inner)
            llvm::append_range(paths, numbered(l.path + g.str()));
      }
      for (auto [i, name] :
           llvm::enumerate(l.layer->entry->weights(*l.layer->fields)))
        // Missing: where the layer's own variables would be, for messages.
        placed.push_back({weightKey(*l.model, l.layer->attr, name),
                          i < paths.size()
                              ? paths[i]
                              : l.path + "/vars/" + std::to_string(i)});
      llvm::consumeError(l.layer->fields->takeError());
    }
    return placed;
  };
  FailureOr<std::vector<Placed>> placed = place(/*privateLast=*/true);
  if (failed(placed))
    return failure();
  auto found = [&](const std::vector<Placed> &p) -> size_t {
    return llvm::count_if(
        p, [&](const Placed &v) { return store.kerasVars.count(v.path); });
  };
  if (size_t count = found(*placed); count < placed->size()) {
    FailureOr<std::vector<Placed>> sorted = place(/*privateLast=*/false);
    if (failed(sorted))
      return failure();
    if (found(*sorted) > count)
      placed = std::move(sorted);
  }
  for (const Placed &p : *placed) {
    store.kerasPathOf[p.key] = p.path;
    if (auto it = store.kerasVars.find(p.path); it != store.kerasVars.end()) {
      store.given[p.key] = std::move(it->second);
      store.kerasVars.erase(it);
    }
  }
  return success();
}

LogicalResult ProgramBuilder::resolveOwnWeights(ModelState &model) {
  WeightStore &store = *weightStore;
  auto keyOf = [&](const OwnWeight &w) { return weightKey(model, w.attr, ""); };
  // Keras files hold a layer's own weights trainable ones first, each kind
  // in the order it makes them (Keras 3's save_own_variables:
  // `_trainable_variables + _non_trainable_variables`; Keras 2's
  // `trainable_weights + non_trainable_weights`).
  std::vector<const OwnWeight *> order;
  for (bool trainable : {true, false})
    for (const OwnWeight &w : model.ownWeights)
      if (w.trainable == trainable)
        order.push_back(&w);
  if (auto it = store.ownPath.find(&model); it != store.ownPath.end())
    for (auto [i, w] : llvm::enumerate(order)) {
      std::string path = (it->second.empty() ? "" : it->second + "/") +
                         "vars/" + std::to_string(i);
      store.kerasPathOf[keyOf(*w)] = path;
      if (auto var = store.kerasVars.find(path); var != store.kerasVars.end()) {
        store.given[keyOf(*w)] = std::move(var->second);
        store.kerasVars.erase(var);
      }
    }
  if (auto it = store.ownGroup.find(&model); it != store.ownGroup.end()) {
    WeightStore::Keras2Group &group = it->second;
    if (group.weights.size() != order.size())
      return error(
          *model.model,
          "'" + model.var + "' makes " + std::to_string(order.size()) +
              " weights, and its layer in the Keras 2 weights file, '" +
              group.name + "', has " + std::to_string(group.weights.size()) +
              " (Keras raises 'Weight count mismatch'); give the "
              "file of this model");
    for (auto [w, weight] : llvm::zip_equal(order, group.weights)) {
      store.kerasPathOf[keyOf(*w)] = group.name + "/" + weight.first;
      store.given[keyOf(*w)] = std::move(weight.second);
    }
    store.ownGroup.erase(it);
  }
  for (OwnWeight &w : model.ownWeights) {
    std::string key = keyOf(w);
    keras::WeightArray array;
    std::string owner = "self." + w.attr + " of '" + model.var + "'";
    if (store.haveGiven) {
      llvm::Expected<keras::WeightArray> taken = store.take(key, w.shape);
      if (!taken)
        return error(*w.at, owner + ": " + llvm::toString(taken.takeError()));
      array = std::move(*taken);
      if (!llvm::equal(array.shape, w.shape))
        return error(*w.at, owner + ": '" + key + "' has shape " +
                                tupleText(array.shape) +
                                " in the weights file, but add_weight makes " +
                                tupleText(w.shape));
    } else {
      // Sized against --max-weights-mib before it is made.
      uint64_t count, bytes, total;
      if (!store.reserve(w.shape, options.maxWeightBytes, count, bytes, total))
        return error(*w.at, owner + " needs a weight of shape " +
                                tupleText(w.shape) + " (" + byteSize(bytes) +
                                "), more than the limit of " +
                                byteSize(options.maxWeightBytes) +
                                " for a model's weights (raise it with "
                                "--max-weights-mib=N)");
      std::optional<keras::WeightArray> d =
          w.initializer == "constant"
              ? std::optional<keras::WeightArray>(keras::WeightArray{
                    SmallVector<int64_t>(w.shape.begin(), w.shape.end()),
                    WeightValues(w.initial.begin(), w.initial.end())})
              : drawn(store.random, w.initializer, w.shape);
      if (!d)
        return error(*w.at, "self." + w.attr + " of '" + model.var +
                                "': initializer " +
                                pythonRepr(llvm::StringRef(w.initializer)) +
                                ": predict draws only " + kDrawnInitializers +
                                " weights from source code; give the "
                                "weights with --weights=FILE.npz");
      array = std::move(*d);
    }
    // Inline values (not a resource, as a layer's are): the constant is an
    // operand of the method's ops, which folding patterns read element by
    // element, and a resource gives no elements to read.
    w.value = DenseElementsAttr::get(
        RankedTensorType::get(w.shape, builder.getF32Type()),
        llvm::ArrayRef<float>(array.data));
    store.use(key, std::move(array));
  }
  return success();
}

std::vector<std::string> ProgramBuilder::unusedWeights() {
  std::vector<std::string> unused;
  if (!weightStore)
    return unused;
  // A Keras file's variables placed at a layer the program never calls
  // (a head used in training only) are that layer's, as Keras loads them:
  // not an error, unlike an .npz entry no layer asks for (a misspelled key).
  if (!weightStore->mapped)
    for (const auto &entry : weightStore->given)
      unused.push_back(entry.first().str());
  llvm::sort(unused);
  std::vector<std::string> vars;
  // Other saveables of a Keras file (an optimizer's variables) are not the
  // model's.
  for (const auto &entry : weightStore->kerasVars)
    if (!entry.first().starts_with("optimizer/"))
      vars.push_back(entry.first().str());
  llvm::sort(vars);
  unused.insert(unused.end(), vars.begin(), vars.end());
  return unused;
}

llvm::Error ProgramBuilder::dumpWeights() {
  if (options.dumpWeights.empty())
    return llvm::Error::success();
  // A program without weighted layers dumps an empty .npz: the file the
  // user asked for exists, as numpy writes np.savez() of nothing.
  std::vector<std::pair<
      std::string, std::pair<llvm::ArrayRef<int64_t>, llvm::ArrayRef<float>>>>
      arrays;
  static const decltype(WeightStore::used) none;
  const auto &used = weightStore ? weightStore->used : none;
  for (auto &[key, array] : used)
    arrays.push_back({key, {array.shape, array.data}});
  if (llvm::Error e = zip::writeNpz(options.dumpWeights, arrays)) {
    llvm::consumeError(std::move(e));
    return fail("cannot write '" +
                (options.dumpWeightsName.empty() ? options.dumpWeights
                                                 : options.dumpWeightsName) +
                "'");
  }
  return llvm::Error::success();
}

namespace {

/// One layer's weights for its registry entry.
class LayerWeights : public keras::WeightProvider {
public:
  LayerWeights(ProgramBuilder &b, ModelState &model, LayerState &layer,
               const json::Object &call)
      : b(b), store(*b.weightStore), model(model), layer(layer), call(call) {}

  llvm::Expected<keras::WeightArray>
  get(llvm::StringRef name, llvm::ArrayRef<int64_t> expected) override {
    // With several models, `<model>/<attribute>/<weight>`; an .npz's
    // `<attribute>/<weight>` serves the first model that asks for it.
    std::string key = b.weightKey(model, layer.attr, name);
    if (b.calledModels > 1) {
      std::string plain = model.keyPrefix + layer.attr + "/" + name.str();
      if (store.haveGiven && !store.given.count(key) &&
          store.given.count(plain))
        key = plain;
    }
    const json::Object &at = *layer.attribute;
    // A layer called again reads the weights its first call read (a
    // Bidirectional, which reads them at each call): one set, as Keras
    // shares a layer's weights between its calls.
    if (auto it = store.usedAt.find(key); it != store.usedAt.end()) {
      const keras::WeightArray &array = store.used[it->second].second;
      if (!fits(array.shape, expected))
        return report(call, "self." + layer.attr +
                                " is called on an input its weights do not "
                                "fit: its '" +
                                key + "' has shape " + tupleText(array.shape) +
                                " from an earlier call, and this call needs " +
                                tupleText(expected));
      return array;
    }
    if (store.haveGiven) {
      llvm::Expected<keras::WeightArray> taken = store.take(key, expected);
      if (!taken)
        return report(at, "layer '" + layer.attr +
                              "': " + llvm::toString(taken.takeError()));
      keras::WeightArray array = std::move(*taken);
      auto place = store.kerasPathOf.find(key);
      if (!fits(array.shape, expected))
        return report(at, "layer '" + layer.attr + "': '" + key + "'" +
                              (place == store.kerasPathOf.end()
                                   ? ""
                                   : " (" + place->second + ")") +
                              " has shape " + tupleText(array.shape) +
                              " in the weights file, but the layer needs " +
                              tupleText(expected));
      if (llvm::Error e = reserve(name, array.shape))
        return std::move(e);
      store.use(key, array);
      return array;
    }
    // Drawn: every size must be known (a file would say it).
    if (llvm::any_of(expected, ShapedType::isDynamic)) {
      std::string axis = "-1";
      if (const json::Value *a = layer.config.get("axis"))
        if (auto i = a->getAsInteger())
          axis = std::to_string(*i);
      return report(call, "the input of self." + layer.attr +
                              " needs a known size on axis " + axis +
                              " (its weights' length): give it with "
                              "--input-shape, or give the layer's weights "
                              "with --weights");
    }
    if (llvm::Error e = reserve(name, expected))
      return std::move(e);
    auto array = draw(name, expected);
    if (!array)
      return array.takeError();
    store.use(key, *array);
    return array;
  }

private:
  /// Whether a weight of `shape` is one of `expected` (dynamic: any size).
  static bool fits(llvm::ArrayRef<int64_t> shape,
                   llvm::ArrayRef<int64_t> expected) {
    return shape.size() == expected.size() &&
           llvm::all_of(llvm::zip(shape, expected), [](auto pair) {
             auto [got, want] = pair;
             return ShapedType::isDynamic(want) || got == want;
           });
  }

  llvm::Error report(const json::Object &node, const llvm::Twine &message) {
    (void)b.error(node, message);
    return llvm::make_error<ReportedError>();
  }

  /// Counts `shape`'s weights against --max-weights-mib before they are
  /// made: an error at the layer otherwise.
  llvm::Error reserve(llvm::StringRef name, llvm::ArrayRef<int64_t> shape) {
    uint64_t count, bytes, total, limit = b.options.maxWeightBytes;
    if (store.reserve(shape, limit, count, bytes, total))
      return llvm::Error::success();
    llvm::StringRef cls = layer.entry->className;
    std::string what;
    if (cls == "Dense" && name == "kernel" && shape.size() == 2)
      what = "Dense(" + std::to_string(shape[1]) + ") on " +
             std::to_string(shape[0]) + " input features needs " +
             std::to_string(count) + " kernel weights (" + byteSize(bytes) +
             ")";
    else
      what = cls.str() + " '" + layer.attr + "' needs " +
             std::to_string(count) + " weights for its " + name.str() +
             " of shape " + tupleText(shape) + " (" + byteSize(bytes) + ")";
    std::string others =
        total == bytes ? "" : "; with the layers before it, " + byteSize(total);
    return report(*layer.attribute, what + others +
                                        ", more than the limit of " +
                                        byteSize(limit) +
                                        " for a model's weights (raise it with "
                                        "--max-weights-mib=N)");
  }

  /// The weight drawn as the layer's `<weight>_initializer` says. A
  /// wrapper's weights are its wrapped layer's, drawn by that layer's
  /// initializers: Bidirectional's `forward_<weight>` its `layer`'s and
  /// `backward_<weight>` its `backward_layer`'s (or the same `layer`'s, which
  /// Keras copies for the backward direction), TimeDistributed's its
  /// `layer`'s.
  llvm::Expected<keras::WeightArray> draw(llvm::StringRef weight,
                                          llvm::ArrayRef<int64_t> shape) {
    const keras::LayerEntry *entry = layer.entry;
    const json::Object *config = &layer.config;
    llvm::StringRef name = weight;
    // Wrappers of wrappers (TimeDistributed(Bidirectional(LSTM))) too; an
    // RNN's weights are its cell's.
    while (entry->className == "Bidirectional" ||
           entry->className == "TimeDistributed" || entry->className == "RNN") {
      llvm::StringRef key = entry->className == "RNN" ? "cell" : "layer";
      if (entry->className == "Bidirectional") {
        if (!name.consume_front("backward_"))
          name.consume_front("forward_");
        else if (config->getObject("backward_layer"))
          key = "backward_layer";
      }
      const json::Object *wrapped = config->getObject(key);
      const json::Object *inner =
          wrapped ? wrapped->getObject("config") : nullptr;
      const keras::LayerEntry *innerEntry =
          inner ? keras::lookupLayer(
                      wrapped->getString("class_name").value_or(""))
                : nullptr;
      if (!innerEntry)
        return report(*layer.attribute,
                      entry->className + " '" + layer.attr +
                          "' wraps no layer predict knows: give its weights "
                          "with --weights=FILE.npz");
      entry = innerEntry;
      config = inner;
    }
    std::string param = name.str() + "_initializer";
    // Keras names a depthwise or pointwise kernel's initializer after the
    // kernel's first word (depthwise_initializer for depthwise_kernel).
    if (name.ends_with("_kernel") &&
        llvm::none_of(entry->params, [&](const keras::LayerParam &p) {
          return p.name == param;
        }))
      param = name.drop_back(strlen("_kernel")).str() + "_initializer";
    std::string init;
    bool declared = false;
    for (const keras::LayerParam &p : entry->params)
      if (p.name == param && p.role == keras::ParamRole::Initializer) {
        declared = true;
        auto dflt = json::parse(p.defaultJson);
        init = dflt && dflt->getAsString() ? dflt->getAsString()->str() : "";
        if (!dflt)
          llvm::consumeError(dflt.takeError());
      }
    if (const json::Value *v = config->get(param))
      init = v->getAsString() ? v->getAsString()->str() : "";
    if (std::optional<keras::WeightArray> array =
            drawn(store.random, init, shape)) {
      // Keras's LSTM with unit_forget_bias (the default) starts the forget
      // gate's bias, the second quarter, at ones.
      const json::Value *forget = config->get("unit_forget_bias");
      size_t count = array->data.size();
      if (init == "zeros" &&
          (entry->className == "LSTM" || entry->className == "LSTMCell") &&
          name == "bias" &&
          (!forget || forget->getAsBoolean().value_or(false)) && count % 4 == 0)
        std::fill(array->data.begin() + count / 4,
                  array->data.begin() + count / 2, 1.0f);
      return std::move(*array);
    }
    if (!declared)
      return report(*layer.attribute,
                    entry->className + " has no initializer for its '" + name +
                        "' (Keras sets it otherwise, as Normalization's by "
                        "adapt()): give the weights with --weights=FILE.npz");
    const json::Value *given = config->get(param);
    return report(*layer.attribute,
                  param + "=" +
                      (given ? pythonRepr(*given) : "'" + init + "'") +
                      ": predict draws only " + kDrawnInitializers +
                      " weights from source code; give the weights with "
                      "--weights=FILE.npz");
  }

  ProgramBuilder &b;
  WeightStore &store;
  ModelState &model;
  LayerState &layer;
  const json::Object &call;
};

} // namespace

std::unique_ptr<keras::WeightProvider>
ProgramBuilder::layerWeights(ModelState &model, LayerState &layer,
                             const json::Object &call) {
  return std::make_unique<LayerWeights>(*this, model, layer, call);
}
