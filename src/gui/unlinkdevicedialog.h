#pragma once
// Asks before unlinking a device from an encrypted vault (sync/deviceunlink.h): says what
// unlinking does and what it cannot undo (the device keeps what it already has), and takes the
// current password and a new one (twice). The unlinking itself is the caller's (DevicesTab).

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace muze::gui {

class UnlinkDeviceDialog : public QDialog {
    Q_OBJECT
public:
    UnlinkDeviceDialog(const QString& deviceName, const QString& vaultName, QWidget* parent = nullptr);

    QLineEdit* currentPasswordEdit() const { return m_current; }
    QLineEdit* newPasswordEdit() const { return m_new; }
    QLineEdit* confirmEdit() const { return m_confirm; }
    QPushButton* unlinkButton() const { return m_unlink; }
    QLabel* explanationLabel() const { return m_explain; }
    /// Why the Unlink button is disabled ("" when it is enabled).
    QString problem() const;

private:
    void validate();

    QLabel* m_explain = nullptr;
    QLabel* m_problem = nullptr;
    QLineEdit* m_current = nullptr;
    QLineEdit* m_new = nullptr;
    QLineEdit* m_confirm = nullptr;
    QPushButton* m_unlink = nullptr;
};

} // namespace muze::gui
