package io.runjournal.server.cli;

import io.runjournal.FsyncPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --fsync always|interval|none} with the journal's own message on a bad value. */
final class FsyncPolicyConverter implements ITypeConverter<FsyncPolicy> {
  @Override
  public FsyncPolicy convert(String value) {
    try {
      return FsyncPolicy.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
