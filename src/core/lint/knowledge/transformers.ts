/**
 * Hugging Face `transformers`, as far as derivatives with respect to inputs are concerned (the library is not
 * installed where the tests run; this rests on its documentation):
 * - a tokenizer (`AutoTokenizer.from_pretrained(...)`, `BertTokenizerFast(...)`) called on text, or its `encode` /
 *   `encode_plus` / `batch_encode_plus`, with `return_tensors="pt"` gives token ids and masks as `torch.int64`
 *   tensors ("Tokenizer: __call__ ... return_tensors"; `BatchEncoding` is a dict with attribute access);
 * - `PreTrainedModel.get_input_embeddings()` returns the model's `nn.Embedding`, whose output is computed from its
 *   weights: not a leaf, so its `.grad` stays None unless `retain_grad()` is called.
 */

/** A tokenizer's construction: `transformers.AutoTokenizer.from_pretrained`, `transformers.BertTokenizerFast`... */
export function isTokenizerFactory(q: string): boolean {
  return /^transformers\.(?:[\w.]+\.)?\w*Tokeni[sz]er(?:Fast)?(?:\.from_pretrained)?$/.test(q);
}

/** The keys of a `BatchEncoding` that hold integer tensors (with `return_tensors="pt"`). */
export const TOKEN_ID_KEYS = new Set(['input_ids', 'attention_mask', 'token_type_ids', 'special_tokens_mask', 'position_ids']);

/** A tokenizer's methods that encode text (the tokenizer itself is callable too). */
export const TOKENIZER_ENCODERS = new Set(['encode', 'encode_plus', 'batch_encode_plus', 'apply_chat_template']);

/** The model method that returns its input embedding layer (an `nn.Embedding`). */
export const INPUT_EMBEDDINGS_METHOD = 'get_input_embeddings';
