"""The Chinese text layer: script normalisation and word segmentation."""
