package io.coord.cli.service;

import picocli.CommandLine.Command;

/** {@code coord service}: service discovery. */
@Command(name = "service", description = {
    "Service discovery: register instances owned by a session (they disappear when it ends),"
        + " list services, look up and watch instances with their health."},
    subcommands = {ServiceRegisterCommand.class, ServiceListCommand.class,
        ServiceGetCommand.class, ServiceWatchCommand.class})
public final class ServiceCommand {}
