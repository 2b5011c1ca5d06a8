package io.coord.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the version from the jar manifest ({@code dev} when not run from a jar). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = CoordCli.class.getPackage().getImplementationVersion();
    return new String[] {"coord " + (version == null ? "dev" : version)};
  }
}
