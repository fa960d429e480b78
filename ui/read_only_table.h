// The tables the pages show (miners, analyses, transactions, sessions, proposals): read and
// selected by whole rows, never edited.
#pragma once

#include <QStringList>

class QTableWidget;

namespace nesa::ui {

/// An empty table with `headers`: no row numbers, whole rows selected one at a time, columns
/// sized to their contents and the last one stretched.
QTableWidget *makeReadOnlyTable(const QStringList &headers);

/// Puts `text` at (row, column), right-aligned when it is a number or an amount; the cell cannot
/// be edited.
void setCell(QTableWidget *table, int row, int column, const QString &text, bool right = false);

} // namespace nesa::ui
