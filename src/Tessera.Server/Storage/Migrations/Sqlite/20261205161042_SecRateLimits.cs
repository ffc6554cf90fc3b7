using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tessera.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecRateLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "GuessCounters",
                columns: table => new
                {
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuessCounters", x => new { x.Kind, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_GuessCounters_ExpiresAt",
                table: "GuessCounters",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GuessCounters");
        }
    }
}
