package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A read-only channel over the decompressed bytes of an archived journal ({@code events.jsonl.gz}),
 * so that every reader of plain journals (line scans, the sparse index, the end-of-file read of
 * {@code lastEvent}) reads archives unchanged: the archive holds exactly the journal's bytes, so
 * offsets and line numbers are the same.
 *
 * <p>The bytes come from {@link Archives}' cache when first needed and stay with the channel until
 * {@link #release()} or close; the size stays known after a release, so a state that keeps the
 * channel to check for growth does not keep the bytes. Not thread-safe (like a reader's channel).
 */
final class ArchiveChannel extends FileChannel {
  private final Archives.Key key;
  private Archives.Content content;
  private long size = -1;
  private long position;

  ArchiveChannel(Archives.Key key) {
    this.key = key;
  }

  /** The archive file. */
  Path path() {
    return key.path();
  }

  /** The archive as it was when this channel was opened. */
  Archives.Key key() {
    return key;
  }

  /** The archive's identity (its file key) when it was opened. */
  Object fileKey() {
    return key.fileKey();
  }

  /** Lets go of the decompressed bytes; they are fetched again if read. */
  void release() {
    content = null;
  }

  private Archives.Content content() throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
    if (content == null) {
      content = Archives.content(key);
      size = content.length();
    }
    return content;
  }

  @Override
  public long size() throws IOException {
    if (size < 0) {
      content();
    } else if (!isOpen()) {
      throw new ClosedChannelException();
    }
    return size;
  }

  @Override
  public int read(ByteBuffer dst, long at) throws IOException {
    if (at < 0) {
      throw new IllegalArgumentException("negative position " + at);
    }
    return content().read(dst, at);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int read = read(dst, position);
    if (read > 0) {
      position += read;
    }
    return read;
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      int read = read(dsts[i]);
      if (read < 0) {
        return total == 0 ? -1 : total;
      }
      total += read;
      if (dsts[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public long position() throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
    return position;
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    if (!isOpen()) {
      throw new ClosedChannelException();
    }
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long transferTo(long at, long count, WritableByteChannel target) throws IOException {
    long total = 0;
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
    while (total < count) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), count - total));
      int read = read(buffer, at + total);
      if (read <= 0) {
        break;
      }
      buffer.flip();
      while (buffer.hasRemaining()) {
        target.write(buffer);
      }
      total += read;
    }
    return total;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long at) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long at, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) {
    // Nothing is ever written.
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long at, long length) {
    throw new UnsupportedOperationException("an archived journal is read in memory, not mapped");
  }

  @Override
  public FileLock lock(long at, long length, boolean shared) {
    throw new UnsupportedOperationException("an archived journal is not locked: it never changes");
  }

  @Override
  public FileLock tryLock(long at, long length, boolean shared) {
    throw new UnsupportedOperationException("an archived journal is not locked: it never changes");
  }

  @Override
  protected void implCloseChannel() {
    content = null;
  }
}
