with torch.no_grad():
    harmonic_loc = self.hi(complexF2C(spec1), freq_dim=257)[:, :, 1:, :]
    region_a = torch.argmax(region_a, -1).to(torch.float)
    region_b = torch.argmax(region_b, -1).to(torch.float)
    region_a = region_a[:, 1:, :].unsqueeze(1)
    vad = self.vad(region_b, threshold=24)  # changed
    voiced_region = self.vioced_region(region_b).unsqueeze(1)
    gate = region_a * vad * harmonic_loc * voiced_region
