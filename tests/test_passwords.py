"""Password hashes: production strength, the test seam, rehash on login."""

import subprocess
import sys

from moderator import passwords


def test_production_hashes_at_the_owasp_recommendation():
    """A fresh process (no test seam) hashes with argon2id, 19 MiB, two passes, one lane."""
    probe = ("from moderator import passwords; h = passwords.hash_password('x');"
             " print(passwords.current() == passwords.STRONG, h.split('$')[1:4])")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "True"
    assert "['argon2id', 'v=19', 'm=19456,t=2,p=1']" in done.stdout


def test_tests_use_the_cheap_parameters():
    assert passwords.current() == passwords.CHEAP
    assert "m=8,t=1,p=1" in passwords.hash_password("geheim")


def test_any_argon2_hash_verifies_and_old_ones_need_a_rehash():
    from argon2 import PasswordHasher

    old = PasswordHasher().hash("geheim")          # the library default: 64 MiB
    assert passwords.verify(old, "geheim")
    assert not passwords.verify(old, "fout")
    assert not passwords.verify("geen hash", "geheim")
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(passwords.hash_password("geheim"))
