return VisionPlugin.Host.Cli.Run(args);
