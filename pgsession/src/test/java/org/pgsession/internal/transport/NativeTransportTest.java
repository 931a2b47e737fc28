package org.pgsession.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

/** The transport choice: io_uring, then epoll, then NIO, each only where it is available. */
class NativeTransportTest {

  @Test
  void eachRequestGetsTheFirstAvailableTransportFromItsPlaceInTheOrder() {
    NativeTransport epollOrNio = Epoll.isAvailable() ? NativeTransport.EPOLL : NativeTransport.NIO;
    assertThat(NativeTransport.choose("nio")).isEqualTo(NativeTransport.NIO);
    assertThat(NativeTransport.choose(" EPOLL ")).isEqualTo(epollOrNio);
    assertThat(NativeTransport.choose("io_uring")).isEqualTo(IoUring.isAvailable() ? NativeTransport.IO_URING : epollOrNio);
    assertThat(NativeTransport.choose("something else")).isEqualTo(epollOrNio);
  }

  @Test
  void theChosenTransportIsTheOneThePropertyAskedFor() {
    assertThat(NativeTransport.CHOSEN)
        .isEqualTo(NativeTransport.choose(System.getProperty(NativeTransport.PROPERTY, "epoll")));
    assertThat(EventLoops.transportName()).isEqualTo(NativeTransport.CHOSEN.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(EventLoops.channelClass()).isEqualTo(NativeTransport.CHOSEN.channelClass());
  }
}
