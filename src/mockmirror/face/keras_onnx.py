"""Convert a small Keras 2 HDF5 CNN (the fer mini-Xception) to ONNX with h5py + onnx only.

TensorFlow is not a dependency, so the graph is rebuilt from the ``model_config`` JSON and the
weights stored beside it. Only the layers such image classifiers use are supported: InputLayer,
Conv2D, SeparableConv2D, DepthwiseConv2D, BatchNormalization, Activation (relu, softmax, linear),
MaxPooling2D, AveragePooling2D, Add, GlobalAveragePooling2D, Dropout and Flatten; anything else
raises :class:`ConversionError`. Keras is NHWC; the ONNX graph takes NCHW input.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from mockmirror.core.arrays import Float32Array, FloatArray
from mockmirror.core.types import MockmirrorError

OPSET = 13
INPUT_NAME = "input"
OUTPUT_NAME = "probabilities"


class ConversionError(MockmirrorError):
    """The HDF5 file is not a Keras model this converter understands."""


@dataclass
class _Graph:
    nodes: list[onnx.NodeProto] = field(default_factory=list)
    initializers: list[onnx.TensorProto] = field(default_factory=list)
    # Keras layer name -> (ONNX tensor name, shape as (channels, height, width) or (features,))
    tensors: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)

    def constant(self, name: str, array: FloatArray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        self.nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output


def _layer_weights(weights_group: h5py.Group, layer_name: str) -> dict[str, Float32Array]:
    """Weights of one layer by short name (``kernel``, ``gamma``…), as float32 arrays."""
    if layer_name not in weights_group:
        return {}
    found: dict[str, Float32Array] = {}

    def visit(name: str, item: object) -> None:
        if isinstance(item, h5py.Dataset):
            short = name.rsplit("/", 1)[-1].split(":", 1)[0]
            found[short] = np.asarray(item[()], dtype=np.float32)

    weights_group[layer_name].visititems(visit)
    return found


def _same_pads(size: int, kernel: int, stride: int) -> tuple[int, int, int]:
    """TensorFlow 'same' padding: (output size, pad before, pad after); extra padding goes last."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return out, total // 2, total - total // 2


def _spatial(
    shape: tuple[int, ...], kernel: tuple[int, int], strides: tuple[int, int], padding: str
) -> tuple[tuple[int, int], list[int]]:
    """Output (height, width) and ONNX pads [top, left, bottom, right] for a window op."""
    _, height, width = shape
    if padding == "valid":
        out_h = (height - kernel[0]) // strides[0] + 1
        out_w = (width - kernel[1]) // strides[1] + 1
        return (out_h, out_w), [0, 0, 0, 0]
    if padding != "same":
        raise ConversionError(f"unsupported padding {padding!r}")
    out_h, top, bottom = _same_pads(height, kernel[0], strides[0])
    out_w, left, right = _same_pads(width, kernel[1], strides[1])
    return (out_h, out_w), [top, left, bottom, right]


def _conv(
    graph: _Graph, name: str, source: str, shape: tuple[int, ...], kernel_oihw: Float32Array,
    bias: Float32Array | None, strides: tuple[int, int], padding: str, group: int,
) -> tuple[str, tuple[int, ...]]:
    kernel_hw = (int(kernel_oihw.shape[2]), int(kernel_oihw.shape[3]))
    (out_h, out_w), pads = _spatial(shape, kernel_hw, strides, padding)
    inputs = [source, graph.constant(f"{name}.weight", kernel_oihw)]
    if bias is not None:
        inputs.append(graph.constant(f"{name}.bias", bias))
    output = graph.node(
        "Conv", inputs, name, kernel_shape=list(kernel_hw), strides=list(strides), pads=pads,
        group=group,
    )
    return output, (int(kernel_oihw.shape[0]), out_h, out_w)


def _activation(graph: _Graph, name: str, source: str, activation: str) -> str:
    if activation == "linear":
        return source
    if activation == "relu":
        return graph.node("Relu", [source], f"{name}.relu")
    if activation == "softmax":
        return graph.node("Softmax", [source], f"{name}.softmax", axis=-1)
    raise ConversionError(f"unsupported activation {activation!r}")


def _depthwise_kernel(kernel_hwcm: Float32Array) -> Float32Array:
    """Keras depthwise kernel (h, w, channels, multiplier) -> ONNX grouped (c*m, 1, h, w)."""
    height, width, channels, multiplier = kernel_hwcm.shape
    return kernel_hwcm.transpose(2, 3, 0, 1).reshape(channels * multiplier, 1, height, width)


def _convert_layer(
    graph: _Graph, layer: dict[str, Any], weights: dict[str, Float32Array]
) -> tuple[str, tuple[int, ...]]:
    kind, name, config = layer["class_name"], layer["name"], layer["config"]
    sources = [graph.tensors[inbound[0]] for inbound in layer["inbound_nodes"][0]]
    source, shape = sources[0]
    strides = tuple(config.get("strides", (1, 1)))
    padding = config.get("padding", "valid")
    use_bias = config.get("use_bias", False)
    activation = config.get("activation", "linear")

    if kind == "Conv2D":
        kernel = weights["kernel"].transpose(3, 2, 0, 1)  # HWIO -> OIHW
        out, shape = _conv(graph, name, source, shape, kernel,
                           weights["bias"] if use_bias else None, strides, padding, group=1)
        return _activation(graph, name, out, activation), shape
    if kind == "DepthwiseConv2D":
        kernel = _depthwise_kernel(weights["depthwise_kernel"])
        out, shape = _conv(graph, name, source, shape, kernel,
                           weights["bias"] if use_bias else None, strides, padding, group=shape[0])
        return _activation(graph, name, out, activation), shape
    if kind == "SeparableConv2D":
        depthwise = _depthwise_kernel(weights["depthwise_kernel"])
        out, shape = _conv(graph, f"{name}.depthwise", source, shape, depthwise, None,
                           strides, padding, group=shape[0])
        pointwise = weights["pointwise_kernel"].transpose(3, 2, 0, 1)
        out, shape = _conv(graph, name, out, shape, pointwise,
                           weights["bias"] if use_bias else None, (1, 1), "valid", group=1)
        return _activation(graph, name, out, activation), shape
    if kind == "BatchNormalization":
        if config.get("axis", -1) not in (-1, 3):
            raise ConversionError(f"{name}: batch normalisation over axis {config['axis']}")
        channels = shape[0]
        gamma = weights.get("gamma", np.ones(channels, np.float32))
        beta = weights.get("beta", np.zeros(channels, np.float32))
        inputs = [source] + [
            graph.constant(f"{name}.{key}", value)
            for key, value in (("scale", gamma), ("bias", beta),
                               ("mean", weights["moving_mean"]),
                               ("var", weights["moving_variance"]))
        ]
        return graph.node("BatchNormalization", inputs, name,
                          epsilon=float(config.get("epsilon", 1e-3))), shape
    if kind == "Activation":
        return _activation(graph, name, source, activation), shape
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        pool = tuple(config["pool_size"])
        pool_strides = tuple(config.get("strides") or pool)
        (out_h, out_w), pads = _spatial(shape, pool, pool_strides, padding)
        op = "MaxPool" if kind == "MaxPooling2D" else "AveragePool"
        extra = {} if op == "MaxPool" else {"count_include_pad": 0}  # Keras ignores the padding
        out = graph.node(op, [source], name, kernel_shape=list(pool), strides=list(pool_strides),
                         pads=pads, **extra)
        return out, (shape[0], out_h, out_w)
    if kind == "Add":
        if any(other_shape != shape for _, other_shape in sources):
            raise ConversionError(f"{name}: adding tensors of different shapes")
        out = sources[0][0]
        for index, (other, _) in enumerate(sources[1:], start=1):
            out = graph.node("Add", [out, other], f"{name}.{index}" if index < len(sources) - 1
                             else name)
        return out, shape
    if kind == "GlobalAveragePooling2D":
        pooled = graph.node("GlobalAveragePool", [source], f"{name}.pool")
        return graph.node("Flatten", [pooled], name, axis=1), (shape[0],)
    if kind == "Flatten":
        if len(shape) == 3:  # Keras flattens NHWC: put channels last before flattening
            source = graph.node("Transpose", [source], f"{name}.nhwc", perm=[0, 2, 3, 1])
        return graph.node("Flatten", [source], name, axis=1), (int(np.prod(shape)),)
    if kind == "Dropout":
        return source, shape  # inference: identity
    raise ConversionError(f"unsupported Keras layer {kind} ({name})")


def keras_hdf5_to_onnx(path: Path) -> onnx.ModelProto:
    """Build an ONNX model (NCHW float input ``input``, output ``probabilities``) from ``path``."""
    try:
        with h5py.File(path, "r") as handle:
            raw_config = handle.attrs.get("model_config")
            if raw_config is None:
                raise ConversionError(f"{path}: no model_config, not a Keras model file")
            if isinstance(raw_config, bytes):
                raw_config = raw_config.decode("utf-8")
            model_config = json.loads(raw_config)
            weights_group = handle.get("model_weights", handle)
            return _build(model_config, weights_group)
    except OSError as exc:
        raise ConversionError(f"{path}: not a readable HDF5 file ({exc})") from exc


def _build(model_config: dict[str, Any], weights_group: h5py.Group) -> onnx.ModelProto:
    layers = model_config["config"]["layers"]
    graph = _Graph()
    input_layer = layers[0]
    if input_layer["class_name"] != "InputLayer":
        raise ConversionError("the model does not start with an InputLayer")
    _, height, width, channels = input_layer["config"]["batch_input_shape"]
    graph.tensors[input_layer["name"]] = (INPUT_NAME, (channels, height, width))
    last = input_layer["name"]
    for layer in layers[1:]:
        graph.tensors[layer["name"]] = _convert_layer(
            graph, layer, _layer_weights(weights_group, layer["name"])
        )
        last = layer["name"]
    output_name, output_shape = graph.tensors[last]
    graph.nodes.append(helper.make_node("Identity", [output_name], [OUTPUT_NAME]))
    onnx_graph = helper.make_graph(
        graph.nodes,
        model_config["config"].get("name", "keras_model"),
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT,
                                       ["batch", channels, height, width])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT,
                                       ["batch", *output_shape])],
        graph.initializers,
    )
    model = helper.make_model(
        onnx_graph, opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="mockmirror.face.keras_onnx",
    )
    model.ir_version = 8  # readable by every onnxruntime >= 1.14
    onnx.checker.check_model(model)
    return model
