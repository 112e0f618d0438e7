using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.FileDrop;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Cli;

/// <summary>The ledger, outbox and gateway the submission commands share, from their common options.</summary>
internal sealed class SubmissionContext : IAsyncDisposable
{
    public const string TokenVariable = "PORTFOLIO_GATEWAY_TOKEN";

    private readonly System.Data.Common.DbDataSource _dataSource;
    private readonly ServiceProvider? _services;

    private SubmissionContext(System.Data.Common.DbDataSource dataSource, ServiceProvider? services, ICentralGateway gateway, DbSubmissionLedger ledger, SubmissionOutbox outbox)
    {
        _dataSource = dataSource;
        _services = services;
        Gateway = gateway;
        Ledger = ledger;
        Outbox = outbox;
        Service = new SubmissionService(gateway, ledger, outbox);
    }

    public ICentralGateway Gateway { get; }

    public DbSubmissionLedger Ledger { get; }

    public SubmissionOutbox Outbox { get; }

    public SubmissionService Service { get; }

    public bool IsFileDrop => Gateway is FileDropGateway;

    internal sealed class Options
    {
        public Option<string> Ledger { get; } = new("--ledger") { Description = "送件紀錄 SQLite 檔 / the submission ledger (a SQLite file)", DefaultValueFactory = _ => "portfolio-ledger.db" };

        public Option<string> Outbox { get; } = new("--outbox") { Description = "待送區資料夾 / the outbox folder", DefaultValueFactory = _ => "portfolio-outbox" };

        public Option<string?> Gateway { get; } = new("--gateway") { Description = "閘道網址（例如沙箱 http://127.0.0.1:5080/）/ the gateway address, e.g. the sandbox's" };

        public Option<string?> Drop { get; } = new("--drop") { Description = "改為輸出到資料夾，供手動上傳 / write to a folder for a manual portal upload instead" };

        public Option<int> Retries { get; } = RetriesOption();

        public Option<string?> Token { get; } = new("--token") { Description = $"存取權杖（或環境變數 {TokenVariable}）/ access token (or {TokenVariable})" };

        // The gateway's resilience pipeline needs at least one retry; 0 used to pass here and fail later with a stack trace.
        private static Option<int> RetriesOption()
        {
            var option = new Option<int>("--retries") { Description = "每次送件失敗後的重試次數（0–20，0 為不重試）/ retries of a failed request (0 to 20; 0 for none)", DefaultValueFactory = _ => 5 };
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is < 0 or > 20)
                {
                    result.AddError("--retries 應為 0 到 20 / --retries must be from 0 to 20");
                }
            });
            return option;
        }

        public void AddTo(Command command, bool gateway = true)
        {
            command.Add(Ledger);
            command.Add(Outbox);
            if (gateway)
            {
                command.Add(Gateway);
                command.Add(Drop);
                command.Add(Token);
                command.Add(Retries);
            }
        }
    }

    /// <summary>Opens the context; <see langword="null"/> with a message when the options do not name exactly one gateway.</summary>
    public static async Task<SubmissionContext?> OpenAsync(ParseResult parse, Options options, TextWriter error, bool needGateway, CancellationToken cancellationToken)
    {
        var address = parse.GetValue(options.Gateway);
        var drop = parse.GetValue(options.Drop);
        ICentralGateway? gateway = null;
        ServiceProvider? services = null;
        if (address is not null && drop is not null)
        {
            await error.WriteLineAsync("--gateway 與 --drop 只能擇一 / give --gateway or --drop, not both");
            return null;
        }

        if (address is not null)
        {
            if (!Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var uri))
            {
                await error.WriteLineAsync($"--gateway 不是有效網址 / --gateway is not a valid address: {address}");
                return null;
            }

            var collection = new ServiceCollection();
            collection.AddPortfolioGateway(o =>
            {
                o.BaseAddress = uri;
                o.AccessToken = parse.GetValue(options.Token) ?? Environment.GetEnvironmentVariable(TokenVariable);
                o.Resilience.MaxRetryAttempts = parse.GetValue(options.Retries);
            });
            services = collection.BuildServiceProvider();
            try
            {
                services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException ex)
            {
                await error.WriteLineAsync(ex.Message);
                await services.DisposeAsync();
                return null;
            }

            gateway = services.GetRequiredService<ICentralGateway>();
        }
        else if (drop is not null)
        {
            gateway = new FileDropGateway(drop);
        }
        else if (needGateway)
        {
            await error.WriteLineAsync("請指定 --gateway 或 --drop / give --gateway (an address) or --drop (a folder)");
            return null;
        }

        var dataSource = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = parse.GetValue(options.Ledger), Pooling = false }.ToString());
        try
        {
            var ledger = new DbSubmissionLedger(dataSource, SqlDialect.Sqlite);
            await ledger.EnsureCreatedAsync(cancellationToken);
            return new SubmissionContext(dataSource, services, gateway ?? new FileDropGateway(Path.GetTempPath()), ledger, new SubmissionOutbox(parse.GetValue(options.Outbox)!));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            await CliJson.WriteDiagnosticLinesAsync(error, [PortfolioCli.Failure("--ledger " + parse.GetValue(options.Ledger) + " / --outbox " + parse.GetValue(options.Outbox), ex)], string.Empty);
            await dataSource.DisposeAsync();
            if (services is not null)
            {
                await services.DisposeAsync();
            }

            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
