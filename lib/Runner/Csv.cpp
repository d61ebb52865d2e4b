//===- Csv.cpp - numeric CSV inputs and outputs of predict-run ------------===//
//
// The CSV that numpy.loadtxt(delimiter=",") reads and numpy.savetxt writes:
// numbers only (no header row, no quoting), a row per line, every row with
// the same number of cells. Cells are parsed with the element type that the
// compiled function's signature gives (HostTensor's own value parser).
//
//===----------------------------------------------------------------------===//

#include "Errors.h"
#include "predict/Runner/HostTensor.h"
#include "predict/Support/InputFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace llvm;
using namespace mlir;
using namespace mlir::predict;
using namespace mlir::predict::runner;

Expected<CsvTable> runner::readCsv(StringRef path, uint64_t maxBytes) {
  auto file = predict::readInputFile(path, "input",
                                           {maxBytes, "--max-input-mib"});
  if (!file)
    return file.takeError();
  CsvTable table;
  table.path = path.str();
  table.text = std::move(*file);
  SmallVector<StringRef> lines;
  // A UTF-8 byte order mark (spreadsheets write one) is not a value.
  StringRef text = table.text->getBuffer();
  text.consume_front("\xef\xbb\xbf");
  // Lines end in \n, \r\n or \r alone (old Mac files), as Python's
  // universal newlines read them for numpy.loadtxt.
  while (!text.empty()) {
    size_t end = text.find_first_of("\r\n");
    lines.push_back(text.take_front(end));
    if (end == StringRef::npos)
      break;
    text =
        text.drop_front(end + (text.substr(end).starts_with("\r\n") ? 2 : 1));
  }
  for (auto [index, line] : enumerate(lines)) {
    // `#` starts a comment, as numpy.loadtxt's default `comments="#"`.
    line = line.split('#').first.trim();
    if (line.empty())
      continue;
    SmallVector<StringRef> cells;
    line.split(cells, ',');
    for (StringRef &cell : cells)
      cell = cell.trim();
    if (!table.rows.empty() && cells.size() != table.columns)
      return makeError("input '" + path + "' line " + Twine(index + 1) +
                       " has " + Twine(cells.size()) + " value(s), line " +
                       Twine(table.lines.front()) + " has " +
                       Twine(table.columns) +
                       ": every row of a CSV input needs as many values as "
                       "the first (a text file of comma-separated numbers, "
                       "one row per line)");
    table.columns = cells.size();
    table.rows.push_back(std::move(cells));
    table.lines.push_back(index + 1);
  }
  if (table.rows.empty())
    return makeError("input '" + path +
                     "' has no values: an empty CSV cannot say how many "
                     "columns a batch of no rows has; give it as .npy");
  return table;
}

Expected<HostTensor> CsvTable::toTensor(DType dtype) const {
  int64_t shape[] = {int64_t(rows.size()), int64_t(columns)};
  auto tensor = HostTensor::allocate(dtype, shape);
  if (!tensor)
    return inputTooLarge(tensor.takeError(), "input '" + path + "'");
  for (auto [r, row] : enumerate(rows))
    for (auto [c, cell] : enumerate(row))
      if (Error e = storeElement(*tensor, r * columns + c, cell))
        return makeError("input '" + path + "' line " + Twine(lines[r]) +
                         ", value " + Twine(c + 1) + ": " +
                         toString(std::move(e)) + " (the function takes " +
                         dtypeName(dtype) + ")");
  return tensor;
}

Expected<std::string> runner::writeCsvTemporary(const HostTensor &tensor,
                                                StringRef path) {
  if (tensor.shape.size() > 2)
    return makeError("cannot write the " + tensor.typeString() +
                     " result to '" + path +
                     "': CSV holds up to 2 dimensions; write it as .npy");
  int64_t columns = tensor.shape.size() == 2 ? tensor.shape[1] : 1;
  int64_t n = tensor.numElements();
  const char *base = static_cast<const char *>(tensor.data());
  return writeTemporaryBeside(path, [&](raw_ostream &os) {
    for (int64_t i = 0; i < n; ++i) {
      switch (tensor.dtype) {
      case DType::f32: {
        float v;
        std::memcpy(&v, base + 4 * i, 4);
        // NaN as numpy.savetxt writes it, whatever its sign bit (%g
        // writes -nan).
        if (std::isnan(v))
          os << "nan";
        else
          os << format("%.9g", double(v));
        break;
      }
      case DType::f64: {
        double v;
        std::memcpy(&v, base + 8 * i, 8);
        if (std::isnan(v))
          os << "nan";
        else
          os << format("%.17g", v);
        break;
      }
      case DType::i32: {
        int32_t v;
        std::memcpy(&v, base + 4 * i, 4);
        os << v;
        break;
      }
      case DType::i64: {
        int64_t v;
        std::memcpy(&v, base + 8 * i, 8);
        os << v;
        break;
      }
      case DType::i1:
        os << (base[i] ? 1 : 0);
        break;
      }
      os << ((i + 1) % columns ? "," : "\n");
    }
  });
}
