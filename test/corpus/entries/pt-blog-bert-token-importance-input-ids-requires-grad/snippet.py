def get_token_importance(text, model, tokenizer):
    # 准备输入
    inputs = tokenizer(text, return_tensors="pt")
    input_ids = inputs["input_ids"]
    input_ids.requires_grad_(True)  # 启用梯度跟踪
    
    # 前向传播
    outputs = model(input_ids)
    last_hidden_state = outputs.last_hidden_state
    
    # 选择梯度目标(此处使用[CLS] token)
    cls_embedding = last_hidden_state[0, 0, :]
    
    # 创建伪损失函数
    loss = cls_embedding.sum()  # 可替换为具体任务相关损失
    
    # 反向传播
    loss.backward()
    
    # 获取梯度
    gradients = input_ids.grad
    
    # 清理计算图
    model.zero_grad()
    if gradients is not None:
        gradients.detach_()
    
    return gradients

# 使用示例
gradients = get_token_importance("Example text", model, tokenizer)
print(f"Token gradients: {gradients}")
