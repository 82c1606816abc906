# 方式2:重新赋值
with torch.no_grad():
    w = w - lr * w.grad # ❌ 错误!w.requires_grad 会变成 False
