if self.config.fix_emb:
    prem_embed =prem_embed.detach()
    hypo_embed =hypo_embed.detach()
