"""Text, markdown and JSON renderings; the one place untrusted text is made safe."""
