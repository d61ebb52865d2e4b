// Force-included into every translation unit of the sanitizer build
// (PREDICT_SANITIZE). Debian's libLLVM/libMLIR are not instrumented, but the
// LLVM headers poison and unpoison BumpPtrAllocator slabs inline when the
// includer is built with ASan. Memory poisoned by our inlined code and then
// handed out by the library's uninstrumented code (which does not unpoison)
// gives false use-after-poison reports. Poisoning is therefore turned off in
// our code too; every other ASan check stays.
#ifndef PREDICT_CMAKE_UNINSTRUMENTEDLLVM_H
#define PREDICT_CMAKE_UNINSTRUMENTEDLLVM_H
#ifdef __cplusplus
#include <sanitizer/asan_interface.h>
#undef __asan_poison_memory_region
#undef __asan_unpoison_memory_region
#define __asan_poison_memory_region(p, size) ((void)(p), (void)(size))
#define __asan_unpoison_memory_region(p, size) ((void)(p), (void)(size))
#endif
#endif
