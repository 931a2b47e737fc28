package org.pgsession.examples.features;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.pgsession.Session;
import org.pgsession.SessionOptions;
import org.pgsession.examples.Example;
import org.pgsession.examples.ExampleEnv;
import org.pgsession.types.Codec;
import org.pgsession.types.CodecRegistry;
import org.pgsession.types.Format;

/** A custom codec: PostgreSQL's geometric {@code point} as a Java record, in text format. */
public final class CustomCodecExample implements Example {
  private static final int POINT_OID = 600;

  /** The Java side of a {@code point}. @param x abscissa @param y ordinate */
  public record Point(double x, double y) {}

  /** Reads and writes the text form {@code (x,y)}. */
  static final class PointCodec implements Codec {
    @Override
    public Format format() {
      return Format.TEXT;
    }

    @Override
    public Class<?> javaType() {
      return Point.class;
    }

    @Override
    public byte[] encode(Object value) {
      Point p = (Point) value;
      return ("(" + p.x() + "," + p.y() + ")").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object decode(ByteBuffer data) {
      String text = StandardCharsets.UTF_8.decode(data).toString();
      if (!text.startsWith("(") || !text.endsWith(")") || text.indexOf(',') < 0) {
        throw new IllegalArgumentException("not a point: " + text);
      }
      String[] xy = text.substring(1, text.length() - 1).split(",", 2);
      return new Point(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
    }
  }

  @Override
  public String name() {
    return "custom-codec";
  }

  @Override
  public String summary() {
    return "plug in a Codec for a type the driver does not know (point <-> record)";
  }

  @Override
  public void run(ExampleEnv env) throws Exception {
    CodecRegistry registry = CodecRegistry.defaults().withCodec(POINT_OID, new PointCodec());
    try (Session session = ExampleEnv.await(Session.open(env.server(), env.database(), registry,
        SessionOptions.defaults()))) {
      Point moved = ExampleEnv.await(session.query("SELECT $1::point + point(10, 20) AS p", new Point(1.5, 2)))
          .get(0).get("p", Point.class);
      env.out().println("moved point: " + moved);
    }
  }
}
