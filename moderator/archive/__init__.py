"""Hard copies and dossier exports: rendering, durable writes, hashing, verification."""
