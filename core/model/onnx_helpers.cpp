// The TorchScript helpers of a converted ONNX graph (model/internal/onnx_program.h).
#include "model/internal/onnx_program.h"

namespace nesa::model::onnx {

// Helpers the generated forward() calls; freezing inlines them. Each follows the ONNX
// operator's definition where libtorch's nearest call differs.
extern const char *const kHelpers = R"(
def _ints(self, t: Tensor) -> List[int]:
    out: List[int] = t.tolist()
    return out

def _no_ints(self) -> List[int]:
    out: List[int] = []
    return out

def _iota(self, n: int) -> List[int]:
    out: List[int] = []
    for i in range(n):
        out.append(i)
    return out

def _ones(self, n: int) -> List[int]:
    out: List[int] = []
    for i in range(n):
        out.append(1)
    return out

def _range(self, start: Tensor, limit: Tensor, delta: Tensor) -> Tensor:
    if start.is_floating_point():
        return torch.arange(float(start), float(limit), float(delta), dtype=start.dtype)
    return torch.arange(int(start), int(limit), int(delta), dtype=start.dtype)

def _legacy_broadcast(self, a: Tensor, b: Tensor, axis: int) -> Tensor:
    if axis < 0:
        axis += a.dim()
    shape: List[int] = b.shape
    for i in range(a.dim() - axis - b.dim()):
        shape.append(1)
    return b.reshape(shape)

def _reshape(self, x: Tensor, shape: List[int], allowzero: int) -> Tensor:
    out: List[int] = []
    for i in range(len(shape)):
        if shape[i] == 0 and allowzero == 0:
            out.append(x.size(i))
        else:
            out.append(shape[i])
    return x.reshape(out)

def _flatten(self, x: Tensor, axis: int) -> Tensor:
    if axis < 0:
        axis += x.dim()
    rows = 1
    for i in range(axis):
        rows *= x.size(i)
    cols = 1
    for i in range(axis, x.dim()):
        cols *= x.size(i)
    return x.reshape([rows, cols])

def _softmax_2d(self, x: Tensor, axis: int, log: bool) -> Tensor:
    y = self._flatten(x, axis)
    if log:
        y = torch.log_softmax(y, 1)
    else:
        y = torch.softmax(y, 1)
    return y.reshape(x.shape)

def _axes(self, axes: List[int], rank: int) -> List[int]:
    out: List[int] = []
    for a in axes:
        if a < 0:
            a += rank
        out.append(a)
    return out

def _all_axes(self, x: Tensor, axes: List[int]) -> List[int]:
    if len(axes) == 0:
        out: List[int] = []
        for i in range(x.dim()):
            out.append(i)
        return out
    return self._axes(axes, x.dim())

def _squeeze(self, x: Tensor, axes: List[int]) -> Tensor:
    if len(axes) == 0:
        return x.squeeze()
    norm = self._axes(axes, x.dim())
    norm.sort(reverse=True)
    for a in norm:
        x = x.squeeze(a)
    return x

def _unsqueeze(self, x: Tensor, axes: List[int]) -> Tensor:
    norm = self._axes(axes, x.dim() + len(axes))
    norm.sort()
    for a in norm:
        x = x.unsqueeze(a)
    return x

def _reversed(self, x: Tensor) -> List[int]:
    out: List[int] = []
    for i in range(x.dim()):
        out.append(x.dim() - 1 - i)
    return out

def _slice(self, x: Tensor, starts: List[int], ends: List[int], axes: List[int], steps: List[int]) -> Tensor:
    for k in range(len(starts)):
        axis = axes[k]
        if axis < 0:
            axis += x.dim()
        size = x.size(axis)
        step = steps[k]
        start = starts[k]
        end = ends[k]
        if start < 0:
            start += size
        if end < 0:
            end += size
        if step > 0:
            start = min(max(start, 0), size)
            end = min(max(end, start), size)
        else:
            start = min(max(start, 0), size - 1)
            end = max(min(end, start), -1)
        index = torch.arange(start, end, step, dtype=4)
        x = x.index_select(axis, index)
    return x

def _gather(self, x: Tensor, indices: Tensor, axis: int) -> Tensor:
    if axis < 0:
        axis += x.dim()
    index = torch.where(indices < 0, indices + x.size(axis), indices).to(4)
    out = x.index_select(axis, index.reshape([-1]))
    shape = x.shape[:axis] + index.shape + x.shape[axis + 1:]
    return out.reshape(shape)

def _same_pads(self, x: Tensor, kernel: List[int], strides: List[int], dilations: List[int], upper: bool) -> List[int]:
    pads: List[int] = []
    n = len(kernel)
    for j in range(n):
        i = n - 1 - j
        size = x.size(2 + i)
        out = (size + strides[i] - 1) // strides[i]
        total = max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size, 0)
        small = total // 2
        if upper:
            pads.append(small)
            pads.append(total - small)
        else:
            pads.append(total - small)
            pads.append(small)
    return pads

def _spatial(self, x: Tensor) -> List[int]:
    out: List[int] = []
    for i in range(2, x.dim()):
        out.append(i)
    return out

def _div(self, a: Tensor, b: Tensor) -> Tensor:
    if a.is_floating_point() or b.is_floating_point():
        return a / b
    return torch.div(a, b, rounding_mode='trunc')

def _prod(self, x: Tensor, axes: List[int], keep: bool) -> Tensor:
    norm = self._all_axes(x, axes)
    norm.sort(reverse=True)
    for a in norm:
        x = torch.prod(x, a, keep)
    return x

def _expand(self, x: Tensor, shape: List[int]) -> Tensor:
    return torch.broadcast_tensors(x, torch.zeros(shape, dtype=x.dtype))[0].contiguous()

def _layer_norm(self, x: Tensor, axis: int, eps: float) -> Tensor:
    if axis < 0:
        axis += x.dim()
    dims: List[int] = []
    for i in range(axis, x.dim()):
        dims.append(i)
    mean = torch.mean(x, dims, True)
    centred = x - mean
    var = torch.mean(centred * centred, dims, True)
    return centred / torch.sqrt(var + eps)

def _trailing_pads(self, x: Tensor, pads: List[int]) -> List[int]:
    n = 2 * (x.dim() - 2)
    for p in pads[n:]:
        if p != 0:
            n = 2 * (x.dim() - 1)
    return pads[:n]

def _avg(self, x: Tensor, kernel: List[int], strides: List[int], ceil: bool) -> Tensor:
    zero: List[int] = []
    for k in kernel:
        zero.append(0)
    if len(kernel) == 1:
        return torch.avg_pool1d(x, kernel, strides, zero, ceil, True)
    if len(kernel) == 2:
        return torch.avg_pool2d(x, kernel, strides, zero, ceil, True)
    return torch.avg_pool3d(x, kernel, strides, zero, ceil, True)

def _avg_pool(self, x: Tensor, kernel: List[int], strides: List[int], pads: List[int], ceil: bool, include: bool) -> Tensor:
    y = self._avg(torch.constant_pad_nd(x, pads, 0.0), kernel, strides, ceil)
    if include:
        return y
    ones = torch.ones([1, 1] + x.shape[2:], dtype=x.dtype)
    return y / self._avg(torch.constant_pad_nd(ones, pads, 0.0), kernel, strides, ceil)

def _conv_transpose(self, x: Tensor, w: Tensor, b: Optional[Tensor], strides: List[int], pads: List[int], out_pad: List[int], dilations: List[int], group: int, out_shape: List[int], auto: int) -> Tensor:
    r = len(strides)
    zero: List[int] = []
    for s in strides:
        zero.append(0)
    if r == 1:
        y = torch.conv_transpose1d(x, w, None, strides, zero, zero, group, dilations)
    elif r == 2:
        y = torch.conv_transpose2d(x, w, None, strides, zero, zero, group, dilations)
    else:
        y = torch.conv_transpose3d(x, w, None, strides, zero, zero, group, dilations)
    crop: List[int] = []
    for j in range(r):
        i = r - 1 - j
        natural = y.size(2 + i)
        begin = pads[i]
        end = pads[r + i]
        if len(out_shape) > 0 or auto != 0:
            target = x.size(2 + i) * strides[i]
            if len(out_shape) > 0:
                target = out_shape[len(out_shape) - r + i]
            total = natural + out_pad[i] - target
            if auto == 1:
                begin = total // 2
                end = total - begin
            else:
                end = total // 2
                begin = total - end
        crop.append(-begin)
        crop.append(out_pad[i] - end)
    y = torch.constant_pad_nd(y, crop, 0.0)
    if b is not None:
        shape: List[int] = [1, -1]
        for s in strides:
            shape.append(1)
        y = y + b.reshape(shape)
    return y

def _lrn(self, x: Tensor, size: int, alpha: float, beta: float, bias: float) -> Tensor:
    last = x.dim() - 1
    low = (size - 1) // 2
    squares = torch.constant_pad_nd((x * x).transpose(1, last), [low, size - 1 - low], 0.0)
    sums = squares.unfold(last, size, 1).sum(-1).transpose(1, last)
    return x / torch.pow(bias + alpha / size * sums, beta)
)";

} // namespace nesa::model::onnx
