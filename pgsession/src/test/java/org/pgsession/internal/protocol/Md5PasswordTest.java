package org.pgsession.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Md5PasswordTest {

  @Test
  void knownAnswer() {
    // Computed independently with Python: hashlib.md5(
    //   hashlib.md5(b"md5pass" + b"md5user").hexdigest().encode() + bytes([1, 2, 3, 4]))
    byte[] salt = {0x01, 0x02, 0x03, 0x04};
    assertThat(Md5Password.hash("md5user", "md5pass", salt))
        .isEqualTo("md5b5dfd8fbdd6fc9174cc8e85dfa598fa2");
  }

  @Test
  void saltChangesTheHash() {
    assertThat(Md5Password.hash("u", "p", new byte[] {1, 2, 3, 4}))
        .isNotEqualTo(Md5Password.hash("u", "p", new byte[] {1, 2, 3, 5}))
        .startsWith("md5").hasSize(35);
  }

  @Test
  void saltMustBeFourBytes() {
    assertThatThrownBy(() -> Md5Password.hash("u", "p", new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
