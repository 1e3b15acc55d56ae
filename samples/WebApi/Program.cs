// ASP.NET Core minimal API: one MongoClient from the container, configured by the connection string named "mongo",
// validated at startup, logging through the host's logger factory and disposed with the host; /health pings it.
//   ConnectionStrings__mongo="mongodb://alice:...@localhost:27017/?authSource=admin&tls=true&tlsCAFile=ca.pem" \
//     dotnet run --project samples/WebApi -- --urls http://127.0.0.1:5080
//   curl http://127.0.0.1:5080/health ; curl http://127.0.0.1:5080/whoami
using MongoAuth;
using MongoAuth.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMongoClientFromConnectionStringName("mongo");
builder.Services.AddHealthChecks().AddMongoAuth(timeout: TimeSpan.FromSeconds(5));

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/whoami", async (MongoClient client, CancellationToken cancellationToken) =>
    (await client.GetConnectionStatusAsync(cancellationToken)).ToString());
app.Run();
