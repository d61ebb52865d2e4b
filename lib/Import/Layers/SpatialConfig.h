//===- SpatialConfig.h - config fields of pooling and reshaping layers -*- C++ -*-===//
//
// The fields that Keras's pooling, padding, cropping and upsampling layers
// share, read with Keras's conventions (keras.src.utils.argument_validation.
// standardize_tuple and standardize_padding, backend.standardize_data_format):
// an integer stands for the same value on every axis, a tuple gives one per
// axis; errors name the layer, the field and its value.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_IMPORT_LAYERS_SPATIALCONFIG_H
#define LIB_IMPORT_LAYERS_SPATIALCONFIG_H

#include "predict/Import/LayerRegistry.h"

#include <utility>

namespace mlir::predict::keras {

/// `data_format`: true for "channels_first" (Keras 1's `dim_ordering` "th"),
/// false for "channels_last" ("tf"), absent or null (Keras's default
/// image_data_format, channels_last). Anything else is an error.
bool channelsFirstField(LayerConfig &fields);

/// An integer or a list of `count` integers (`pool_size=2`,
/// `pool_size=(2, 3)`), each at least `least`; absent (and null when
/// `dflt` is empty) gives `dflt`. Keras's standardize_tuple.
llvm::SmallVector<int64_t> intTupleField(LayerConfig &fields,
                                         llvm::StringRef key, size_t count,
                                         llvm::ArrayRef<int64_t> dflt,
                                         int64_t least);

/// Padding or cropping of `count` axes as (before, after) pairs, each at
/// least 0: an integer (the same everywhere), a list of `count` integers
/// (symmetric per axis; for one axis, the pair itself), or a list of
/// `count` pairs. Absent gives `dflt`.
llvm::SmallVector<std::pair<int64_t, int64_t>>
pairsField(LayerConfig &fields, llvm::StringRef key, size_t count,
           llvm::ArrayRef<std::pair<int64_t, int64_t>> dflt);

} // namespace mlir::predict::keras

#endif // LIB_IMPORT_LAYERS_SPATIALCONFIG_H
