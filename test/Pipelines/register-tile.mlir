// The register tile of a contraction follows the target's vector registers
// (registerTile, docs/Pipeline.md): predict-run and predict-compile pass
// the target's, predict-opt takes them as options of predict-codegen.
// RUN: predict-opt %s --predict-to-linalg --predict-codegen="vector-bits=512 vector-registers=32" | FileCheck %s --check-prefix=AVX512
// RUN: predict-opt %s --predict-to-linalg --predict-codegen="vector-bits=256 vector-registers=16" | FileCheck %s --check-prefix=AVX2
// RUN: predict-opt %s --predict-to-linalg --predict-codegen="vector-bits=128 vector-registers=16" | FileCheck %s --check-prefix=SSE
// RUN: predict-opt %s --predict-to-linalg --predict-codegen | FileCheck %s --check-prefix=DEFAULT

// AVX512: arith.mulf {{.*}} fastmath<contract> : vector<6x64xf32>
// AVX512: arith.addf {{.*}} fastmath<contract> : vector<6x64xf32>
// AVX2: arith.mulf {{.*}} fastmath<contract> : vector<6x16xf32>
// AVX2: arith.addf {{.*}} fastmath<contract> : vector<6x16xf32>
// SSE: arith.mulf {{.*}} fastmath<contract> : vector<6x8xf32>
// DEFAULT: arith.mulf {{.*}} fastmath<contract> : vector<8x32xf32>
func.func @dense(%x: tensor<?x128xf32>) -> tensor<?x128xf32> {
  %k = predict.constant dense<0.5> : tensor<128x128xf32>
  %b = predict.constant dense<0.25> : tensor<128xf32>
  %y = predict.dense %x, %k, %b activation relu : (tensor<?x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  return %y : tensor<?x128xf32>
}
