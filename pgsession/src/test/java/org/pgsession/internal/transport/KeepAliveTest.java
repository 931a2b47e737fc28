package org.pgsession.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keepalive idle time reaches the socket where the platform allows it. */
class KeepAliveTest {

  @Test
  void idleTimeIntervalCountAndUserTimeoutAreSetOnTheSocket() throws Exception {
    NativeTransport transport = NativeTransport.CHOSEN;
    assumeTrue(transport != NativeTransport.NIO, "a native transport");
    boolean uring = transport == NativeTransport.IO_URING;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Bootstrap b = new Bootstrap().group(EventLoops.next()).channel(EventLoops.channelClass())
          .handler(new ChannelInboundHandlerAdapter());
      assertThat(KeepAlive.apply(b, Duration.ofMillis(7_500))).isTrue();
      Channel ch = b.connect(listener.getLocalSocketAddress()).sync().channel();
      try {
        assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
        assertThat(ch.config().getOption(uring ? IoUringChannelOption.TCP_KEEPIDLE : EpollChannelOption.TCP_KEEPIDLE))
            .isEqualTo(8);
        assertThat(ch.config().getOption(uring ? IoUringChannelOption.TCP_KEEPINTVL : EpollChannelOption.TCP_KEEPINTVL))
            .isEqualTo(2);
        assertThat(ch.config().getOption(uring ? IoUringChannelOption.TCP_KEEPCNT : EpollChannelOption.TCP_KEEPCNT))
            .isEqualTo(KeepAlive.PROBES);
        assertThat(ch.config().getOption(
            uring ? IoUringChannelOption.TCP_USER_TIMEOUT : EpollChannelOption.TCP_USER_TIMEOUT)).isEqualTo(14_000);
      } finally {
        ch.close().sync();
      }
    }
  }

  @Test
  void withoutAnIdleTimeOnlyTheOsDefaultKeepaliveIsOn() {
    Bootstrap b = new Bootstrap();
    assertThat(KeepAlive.apply(b, null)).isTrue();
    assertThat(b.config().options()).containsEntry(ChannelOption.SO_KEEPALIVE, true)
        .doesNotContainKey(EpollChannelOption.TCP_KEEPIDLE).doesNotContainKey(IoUringChannelOption.TCP_KEEPIDLE);
  }
}
