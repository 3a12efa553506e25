using PaperMailer.RankBench;

var inputs = await BenchInputs.WriteAsync(args[0], 400, int.Parse(args[1]));
Console.WriteLine(inputs);
