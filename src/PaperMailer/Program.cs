using PaperMailer.Cli;

return await CliApp.RunAsync(args);
