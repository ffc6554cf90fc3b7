using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tessera.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ModernClients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Jkt",
                table: "RefreshTokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Jkt",
                table: "PersonalAccessTokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Jkt",
                table: "OpaqueTokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AllowedCorsOrigins",
                table: "Clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "Clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegistrationMetadata",
                table: "Clients",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "RegistrationTokenHash",
                table: "Clients",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequireDpop",
                table: "Clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "RequirePushedAuthorizationRequests",
                table: "Clients",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DpopProofUses",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DpopProofUses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PushedAuthorizationRequests",
                columns: table => new
                {
                    Hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Parameters = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConsumedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PushedAuthorizationRequests", x => x.Hash);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DpopProofUses_ExpiresAt",
                table: "DpopProofUses",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_PushedAuthorizationRequests_ExpiresAt",
                table: "PushedAuthorizationRequests",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DpopProofUses");

            migrationBuilder.DropTable(
                name: "PushedAuthorizationRequests");

            migrationBuilder.DropColumn(
                name: "Jkt",
                table: "RefreshTokens");

            migrationBuilder.DropColumn(
                name: "Jkt",
                table: "PersonalAccessTokens");

            migrationBuilder.DropColumn(
                name: "Jkt",
                table: "OpaqueTokens");

            migrationBuilder.DropColumn(
                name: "AllowedCorsOrigins",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "RegistrationMetadata",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "RegistrationTokenHash",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "RequireDpop",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "RequirePushedAuthorizationRequests",
                table: "Clients");
        }
    }
}
