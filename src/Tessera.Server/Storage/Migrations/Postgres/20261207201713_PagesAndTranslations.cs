using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tessera.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PagesAndTranslations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientUri",
                table: "Clients",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LogoUri",
                table: "Clients",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ScopeDisplayNames",
                table: "ApiResources",
                type: "character varying(100000)",
                maxLength: 100000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClientUri",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "LogoUri",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "ScopeDisplayNames",
                table: "ApiResources");
        }
    }
}
