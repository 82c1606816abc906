/**
 * Exports of a trained model for use in Python (pure core, no TensorFlow.js, no `vscode`):
 * a PyTorch module file (model.py + model_weights.bin) and an ONNX file, both mapping raw inputs to
 * raw outputs with the normalization inside. See docs/export.md.
 */
export { exportPytorch, pytorchModelPy, describeModel, PYTORCH_MODEL_FILE, PYTORCH_WEIGHTS_FILE } from './pytorch';
export { exportOnnx, encodeOnnx, onnxModel, ONNX_OPSET, ONNX_IR_VERSION } from './onnx';
export { readModelFolder, outputsUpToConstant, trainingRanges, type ModelFolder, type WeightSpec } from './folder';

export type ExportFormat = 'pytorch' | 'onnx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['pytorch', 'onnx'];
